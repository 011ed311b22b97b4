using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Emails;

/// <summary>An admin queues an email again (a failed one after fixing SMTP, or a sent one the recipient lost).</summary>
public sealed class ResendEmail(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ILogger<ResendEmail> logger)
{
    public async Task<CommandResult> HandleAsync(Caller caller, long messageId, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return CommandResult.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null)
        {
            return CommandResult.NotFound;
        }

        if (message.Status == OutboxStatus.Pending)
        {
            return CommandResult.Refused("already_queued", "This email is already waiting to be sent.");
        }

        message.Resend(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Admin {AdminId} queued email {MessageId} again", caller.Id, messageId);
        return CommandResult.Ok;
    }
}
