using Cashout.Portal.Data;

namespace Cashout.Portal.Email;

/// <summary>Queues an email in the outbox; the caller's SaveChanges writes it with the change that caused it.</summary>
public sealed class EmailOutbox(TimeProvider time)
{
    public void Enqueue(PortalDbContext db, string to, EmailContent content) =>
        db.OutboxMessages.Add(OutboxMessage.Create(content, to, time.GetUtcNow()));
}
