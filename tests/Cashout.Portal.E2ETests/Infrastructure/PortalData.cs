using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Cashout.Portal.PaymentMethods;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// Prepares data in the running portal's database through the portal's own use cases (an in-process host over the
/// same file, with its jobs and sandbox off), for flows whose pages are not the subject of the test. Its payout
/// adapters ask the running portal's provider sandbox (at <paramref name="portalBaseUrl"/>), as the portal itself does.
/// </summary>
public sealed class PortalData(IReadOnlyDictionary<string, string> database, Uri portalBaseUrl) : WebApplicationFactory<Program>
{
    /// <summary>Over the running portal's SQLite file.</summary>
    public PortalData(string databasePath, Uri portalBaseUrl)
        : this(new Dictionary<string, string> { ["Database:Path"] = databasePath }, portalBaseUrl)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in database)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Database:SeedDemoHistory", "false");
        builder.UseSetting("Sandbox:Enabled", "false");
        // Links in the emails it writes point at the running portal, as the portal's own would.
        builder.UseSetting("Portal:PublicBaseUrl", portalBaseUrl.ToString());
        foreach (var provider in new[] { "payoneer", "tipalti", "bank" })
        {
            builder.UseSetting($"Providers:{provider}:BaseUrl", new Uri(portalBaseUrl, $"sandbox/{provider}/").ToString());
        }
    }

    /// <summary>
    /// A new verified, funded merchant (password <see cref="DemoUsers.Password"/>) with Payoneer linked requests a cashout;
    /// returns its email and the cashout id. With <paramref name="reviewed"/> the cashout's review window is already over,
    /// so the submit job sends it to the provider at its next run.
    /// </summary>
    public async Task<(string Email, long CashoutId)> RequestCashoutForNewMerchantAsync(long amountCents, bool reviewed = true)
    {
        var (email, userId) = await CreateReadyMerchantAsync(amountCents * 2);
        await using var scope = Services.CreateAsyncScope();
        var merchant = Caller.Merchant(userId) with { SteppedUpAt = DateTimeOffset.UtcNow };
        var requested = await scope.ServiceProvider.GetRequiredService<RequestCashout>().HandleAsync(
            merchant, new RequestCashoutCommand(userId, PayoutMethod.Payoneer, amountCents, Currency.USD));
        Check(requested.Cashout is not null, $"request the cashout ({requested.Decline})");
        if (reviewed)
        {
            await EndReviewAsync(requested.Cashout!.Id);
        }

        return (email, requested.Cashout!.Id);
    }

    /// <summary>
    /// A new verified merchant (password <see cref="DemoUsers.Password"/>) with <paramref name="availableCents"/> available
    /// and Payoneer linked, ready to cash out; returns its email and user id.
    /// </summary>
    public async Task<(string Email, string UserId)> CreateReadyMerchantAsync(long availableCents)
    {
        var email = $"payouts-{Guid.NewGuid():N}"[..20] + "@cashout.test";
        await using var scope = Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Check((await users.CreateAsync(user, Pages.DemoUsers.Password)).Succeeded, "create the merchant");
        Check((await users.AddToRoleAsync(user, PortalRoles.Merchant)).Succeeded, "give the merchant role");
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var profile = new MerchantProfile(user.Id, DateTimeOffset.UtcNow);
            Check(profile.Submit(new BusinessDetails("E2E Shop Ltd", "US", "Erin E2E", null, email), DateTimeOffset.UtcNow).IsSuccess, "submit business details");
            Check(profile.Approve("e2e", DateTimeOffset.UtcNow).IsSuccess, "approve the merchant");
            db.MerchantProfiles.Add(profile);
            await db.SaveChangesAsync();
        }

        var merchant = Caller.Merchant(user.Id) with { SteppedUpAt = DateTimeOffset.UtcNow };
        var funded = await services.GetRequiredService<FundMerchant>().HandleAsync(
            Caller.System("e2e"), new FundMerchantCommand(user.Id, availableCents, Currency.USD, SettlesAt: null, "E2E sales"));
        Check(funded.Succeeded, "fund the merchant");
        var linked = await services.GetRequiredService<LinkPaymentMethod>().HandleAsync(
            merchant, new LinkPaymentMethodCommand(user.Id, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com"));
        Check(linked.Result.Succeeded, "link Payoneer");
        return (email, user.Id);
    }

    /// <summary>
    /// A new person with a confirmed email, the password <see cref="Pages.DemoUsers.Password"/> and
    /// <paramref name="role"/>, with no authenticator and no passkey; returns its email.
    /// </summary>
    public async Task<string> CreateUserAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@cashout.test";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Check((await users.CreateAsync(user, Pages.DemoUsers.Password)).Succeeded, $"create the {role}");
        Check((await users.AddToRoleAsync(user, role)).Succeeded, $"give the {role} role");
        return email;
    }

    /// <summary>Ends a cashout's review window now (as if it had been requested two hours ago): the pipeline takes it next.</summary>
    public async Task EndReviewAsync(long cashoutId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var twoHours = (long)TimeSpan.FromHours(2).TotalMilliseconds;
        Check(await db.Database.ExecuteSqlAsync($"""UPDATE "Cashouts" SET "CreatedAt" = "CreatedAt" - {twoHours} WHERE "Id" = {cashoutId}""") == 1, "end the review window");
    }

    /// <summary>Waits (polling the outbox) until <paramref name="count"/> emails to <paramref name="email"/> are sent.</summary>
    public async Task WaitForSentEmailsAsync(string email, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                if (await db.OutboxMessages.CountAsync(m => m.To == email && m.Status == Cashout.Portal.Email.OutboxStatus.Sent) >= count)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Fewer than {count} emails to {email} were sent within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(200);
        }
    }

    private static void Check(bool done, string what)
    {
        if (!done)
        {
            throw new InvalidOperationException($"Could not {what} in the portal's database.");
        }
    }
}
