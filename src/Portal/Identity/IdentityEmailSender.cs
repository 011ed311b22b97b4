using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Identity;

/// <summary>Identity's account emails go through the same outbox as every other email.</summary>
internal sealed class IdentityEmailSender(IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox) : IEmailSender<PortalUser>
{
    public Task SendConfirmationLinkAsync(PortalUser user, string email, string confirmationLink) =>
        QueueAsync(email, EmailTemplates.ConfirmEmail(confirmationLink));

    public Task SendPasswordResetLinkAsync(PortalUser user, string email, string resetLink) =>
        QueueAsync(email, EmailTemplates.PasswordResetLink(resetLink));

    public Task SendPasswordResetCodeAsync(PortalUser user, string email, string resetCode) =>
        QueueAsync(email, EmailTemplates.PasswordResetCode(resetCode));

    private async Task QueueAsync(string to, EmailContent content)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        outbox.Enqueue(db, to, content);
        await db.SaveChangesAsync();
    }
}
