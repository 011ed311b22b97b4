using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>The email outbox as the tests drive it: queue messages as the app does, run the sender as the job does.</summary>
public static class OutboxExtensions
{
    /// <summary>Queues one password-reset email per recipient (the code is the recipient's position, so bodies differ).</summary>
    public static Task EnqueueEmailsAsync(this PortalFactory portal, params string[] recipients) =>
        portal.WithScopeAsync(async services =>
        {
            var outbox = services.GetRequiredService<EmailOutbox>();
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            foreach (var (to, index) in recipients.Select((to, index) => (to, index)))
            {
                outbox.Enqueue(db, to, EmailTemplates.PasswordResetCode($"{100000 + index}"));
            }

            await db.SaveChangesAsync();
        });

    /// <summary>One run of the outbox sender, as the scheduled job makes it.</summary>
    public static Task<OutboxRun> SendDueEmailsAsync(this PortalFactory portal) =>
        portal.UseAsync<SendDueEmails, OutboxRun>(send => send.HandleAsync());

    public static string[] Recipients(int count, string prefix = "merchant") =>
        [.. Enumerable.Range(1, count).Select(i => $"{prefix}-{i}@cashout.test")];
}
