using Cashout.Portal.Data;

namespace Cashout.Portal.Email;

/// <summary>Queues an email in the outbox, in the transaction of the change that caused it.</summary>
public sealed class EmailOutbox(TimeProvider time)
{
    /// <summary>Added to the context: the caller's SaveChanges writes it.</summary>
    public void Enqueue(PortalDbContext db, string to, EmailContent content) =>
        db.OutboxMessages.Add(OutboxMessage.Create(content, to, time.GetUtcNow()));

    /// <summary>Written at once, inside the caller's open transaction (every cashout transition: <see cref="PlainInserts"/>).</summary>
    public Task WriteAsync(PortalDbContext db, string to, EmailContent content, CancellationToken cancellationToken) =>
        db.InsertAsync(OutboxMessage.Create(content, to, time.GetUtcNow()), cancellationToken);
}
