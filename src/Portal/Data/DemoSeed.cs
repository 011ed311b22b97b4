using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Data;

/// <summary>
/// The Development demo data that README, QA flows and examples rely on. Idempotent: every step checks what
/// is already there, so it runs at every start.
/// </summary>
public sealed class DemoSeed(
    UserManager<PortalUser> users,
    PortalDbContext db,
    FundMerchant fundMerchant,
    Api.Credentials.IssueApiCredentials apiCredentials,
    RequestCashout requestCashout,
    ProviderTransitions providerTransitions,
    CancelCashout cancelCashout,
    HoldCashout holdCashout,
    TimeProvider time,
    ILogger<DemoSeed> logger)
{
    public const string Password = "Demo!Cashout2026";
    public const string AdminEmail = "admin@cashout.test";
    public const string MerchantEmail = "merchant@cashout.test";
    public const string NewcomerEmail = "newcomer@cashout.test";
    public const string RetailerEmail = "retailer@cashout.test";
    public const string PayeeEmail = "payouts@merchant.cashout.test";

    /// <summary>The demo admin's authenticator secret (base32, in README), so QA flows can compute its codes.</summary>
    public const string AdminAuthenticatorKey = "JBSWY3DPEHPK3PXP";

    private static readonly BusinessDetails DemoBusiness = new("Demo Merchant LLC", "US", "Dana Demo", "+1 415 555 0100", "finance@merchant.cashout.test");
    /// <summary>The demo merchant's API credentials and balance account (README), so QA scripts can call every family.</summary>
    public const string ApiLogin = "demo_login";
    public const string ApiPass = "demo_pass";
    public const string ApiSignatureSecret = "demo_signature_secret";
    public const string BalanceAccountId = "BA00000000000000000000001";

    public async Task SeedAsync(bool withHistory = false, CancellationToken cancellationToken = default)
    {
        var admin = await EnsureUserAsync(AdminEmail, PortalRoles.Admin);
        await EnsureAuthenticatorAsync(admin);
        var merchant = await EnsureUserAsync(MerchantEmail, PortalRoles.Merchant);
        var newcomer = await EnsureUserAsync(NewcomerEmail, PortalRoles.Merchant);

        await EnsureProfileAsync(merchant.Id, approved: true, cancellationToken);
        await EnsureProfileAsync(newcomer.Id, approved: false, cancellationToken);
        await FundOnceAsync(merchant.Id, cancellationToken);
        await EnsureApiCredentialsAsync(merchant.Id, cancellationToken);
        if (withHistory)
        {
            await EnsureHistoryAsync(merchant.Id, admin.Id, cancellationToken);
            var retailer = await EnsureUserAsync(RetailerEmail, PortalRoles.Merchant);
            await EnsureProfileAsync(retailer.Id, approved: true, cancellationToken);
            await EnsureHoldAsync(retailer.Id, admin.Id, cancellationToken);
        }
    }

    /// <summary>
    /// The demo merchant's past month, once: Payoneer linked, a EUR balance, and cashouts that ended Completed (USD and
    /// EUR), Failed with the provider's code 808, Returned by the bank and Cancelled by the back office with a reason.
    /// Each goes through the real use cases (ledger, timeline, emails, audit), then is dated back, oldest first, so
    /// no cooldown or review window from the seed stands in the way of the first cashout a newcomer requests.
    /// </summary>
    private async Task EnsureHistoryAsync(string merchantId, string adminId, CancellationToken cancellationToken)
    {
        if (await db.Cashouts.AnyAsync(c => c.MerchantId == merchantId, cancellationToken))
        {
            return;
        }

        await LinkPayoneerAsync(merchantId, cancellationToken);
        Check(await fundMerchant.HandleAsync(Caller.System("demo-seed"), new FundMerchantCommand(merchantId, 150_000, Currency.EUR, SettlesAt: null, "Demo sales in the euro shop (settled)"), cancellationToken));

        var provider = Actor.Provider("demo-seed");
        var completed = await RequestAsync(merchantId, 25_000, Currency.USD, cancellationToken);
        Check(await providerTransitions.SubmitAsync(provider, completed, $"PO-DEMO-{completed}", cancellationToken));
        Check(await providerTransitions.CompleteAsync(provider, completed, cancellationToken));
        await DateBackAsync(completed, TimeSpan.FromDays(26), cancellationToken);

        var failed = await RequestAsync(merchantId, 12_000, Currency.USD, cancellationToken);
        Check(await providerTransitions.SubmitAsync(provider, failed, $"PO-DEMO-{failed}", cancellationToken));
        Check(await providerTransitions.FailAsync(provider, failed, "808", "ERROR_OTHER: The payout was rejected by the provider.", cancellationToken));
        await DateBackAsync(failed, TimeSpan.FromDays(19), cancellationToken);

        var returned = await RequestAsync(merchantId, 30_000, Currency.EUR, cancellationToken);
        Check(await providerTransitions.SubmitAsync(provider, returned, $"PO-DEMO-{returned}", cancellationToken));
        Check(await providerTransitions.CompleteAsync(provider, returned, cancellationToken));
        Check(await providerTransitions.ReturnAsync(provider, returned, "AC04", "Account closed", cancellationToken));
        await DateBackAsync(returned, TimeSpan.FromDays(12), cancellationToken);

        var cancelled = await RequestAsync(merchantId, 8_000, Currency.USD, cancellationToken);
        Check(await cancelCashout.HandleAsync(Caller.Admin(adminId), cancelled, "The payee name does not match the Payoneer account.", cancellationToken));
        await DateBackAsync(cancelled, TimeSpan.FromDays(7), cancellationToken);

        var completedEur = await RequestAsync(merchantId, 20_000, Currency.EUR, cancellationToken);
        Check(await providerTransitions.SubmitAsync(provider, completedEur, $"PO-DEMO-{completedEur}", cancellationToken));
        Check(await providerTransitions.CompleteAsync(provider, completedEur, cancellationToken));
        await DateBackAsync(completedEur, TimeSpan.FromDays(3), cancellationToken);
        logger.LogInformation("Seeded the demo merchant's history: Completed, Failed (808), Returned and Cancelled cashouts in USD and EUR");
    }

    /// <summary>A second merchant's cashout on hold with a reason, for the back office to release or cancel.</summary>
    private async Task EnsureHoldAsync(string merchantId, string adminId, CancellationToken cancellationToken)
    {
        if (await db.Cashouts.AnyAsync(c => c.MerchantId == merchantId, cancellationToken))
        {
            return;
        }

        await FundOnceAsync(merchantId, cancellationToken);
        await LinkPayoneerAsync(merchantId, cancellationToken);
        var held = await RequestAsync(merchantId, 90_000, Currency.USD, cancellationToken);
        Check(await holdCashout.HandleAsync(Caller.Admin(adminId), held, "First cashout above $500: confirm the payee with the merchant by phone.", cancellationToken));
    }

    private async Task LinkPayoneerAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (await db.PaymentMethods.AnyAsync(m => m.MerchantId == merchantId && m.UnlinkedAt == null, cancellationToken))
        {
            return;
        }

        // Directly, not LinkPaymentMethod: the provider sandbox it asks is not listening yet while the app starts.
        var payoneer = PaymentMethod.LinkPayoneer(merchantId, PayeeEmail, payeeId: null, time.GetUtcNow().AddDays(-30));
        Check(payoneer.IsSuccess);
        db.PaymentMethods.Add(payoneer.Value);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<long> RequestAsync(string merchantId, long amount, Currency currency, CancellationToken cancellationToken)
    {
        var merchant = Caller.Merchant(merchantId) with { SteppedUpAt = time.GetUtcNow() };
        var outcome = await requestCashout.HandleAsync(merchant, new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, amount, currency), cancellationToken);
        return outcome.Cashout?.Id ?? throw new InvalidOperationException($"Demo seed failed: the demo cashout was refused ({outcome.Decline?.Message ?? outcome.Error?.Message}).");
    }

    /// <summary>Moves a finished cashout's dates back (the ledger keeps its real posting times: it is append-only).</summary>
    private async Task DateBackAsync(long cashoutId, TimeSpan age, CancellationToken cancellationToken)
    {
        var millis = (long)age.TotalMilliseconds;
        await db.Database.ExecuteSqlAsync(
            $"""UPDATE "Cashouts" SET "CreatedAt" = "CreatedAt" - {millis}, "UpdatedAt" = "UpdatedAt" - {millis}, "CompletedAt" = "CompletedAt" - {millis}, "ReversibleUntil" = "ReversibleUntil" - {millis} WHERE "Id" = {cashoutId}""",
            cancellationToken);
        await db.Database.ExecuteSqlAsync($"""UPDATE "CashoutEvents" SET "At" = "At" - {millis} WHERE "CashoutId" = {cashoutId}""", cancellationToken);
    }

    private async Task EnsureApiCredentialsAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (await db.ApiCredentials.AnyAsync(c => c.MerchantId == merchantId, cancellationToken))
        {
            return;
        }

        await apiCredentials.StoreAsync(merchantId, new(ApiLogin, ApiPass, ApiSignatureSecret, BalanceAccountId), cancellationToken, BalanceAccountId);
    }

    /// <summary>Admins must use two-factor authentication: the demo admin has an authenticator enrolled.</summary>
    private async Task EnsureAuthenticatorAsync(PortalUser admin)
    {
        if (await users.GetAuthenticatorKeyAsync(admin) != AdminAuthenticatorKey)
        {
            // The same store UserManager.ResetAuthenticatorKeyAsync writes to, with a known key instead of a random one.
            Check(await users.SetAuthenticationTokenAsync(admin, "[AspNetUserStore]", "AuthenticatorKey", AdminAuthenticatorKey));
        }

        if (!admin.TwoFactorEnabled)
        {
            // Directly, not SetTwoFactorEnabledAsync: the seed is no security event to audit and email about.
            admin.TwoFactorEnabled = true;
            Check(await users.UpdateAsync(admin));
        }
    }

    private async Task EnsureProfileAsync(string merchantId, bool approved, CancellationToken cancellationToken)
    {
        if (await db.MerchantProfiles.AnyAsync(p => p.MerchantId == merchantId, cancellationToken))
        {
            return;
        }

        var profile = new MerchantProfile(merchantId, time.GetUtcNow());
        if (approved)
        {
            Check(profile.Submit(DemoBusiness, time.GetUtcNow()).IsSuccess);
            Check(profile.Approve("seed", time.GetUtcNow()).IsSuccess);
        }

        db.MerchantProfiles.Add(profile);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>$5,000.00 available and $1,000.00 pending (settling in 7 days), the first time only.</summary>
    private async Task FundOnceAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (await db.LedgerTransactions.AnyAsync(t => t.MerchantId == merchantId, cancellationToken))
        {
            return;
        }

        var seed = Caller.System("demo-seed");
        var now = time.GetUtcNow();
        Check(await fundMerchant.HandleAsync(seed, new FundMerchantCommand(merchantId, 500_000, Currency.USD, SettlesAt: null, "Demo sales (settled)"), cancellationToken));
        Check(await fundMerchant.HandleAsync(seed, new FundMerchantCommand(merchantId, 100_000, Currency.USD, now.AddDays(7), "Demo sales (settling)"), cancellationToken));
        logger.LogInformation("Funded demo merchant {MerchantId}: $5,000.00 available, $1,000.00 pending", merchantId);
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
            Check(await users.CreateAsync(user, Password));
            logger.LogInformation("Seeded demo user {Email}", email);
        }

        if (!await users.IsInRoleAsync(user, role))
        {
            Check(await users.AddToRoleAsync(user, role));
        }

        return user;
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("Demo seed failed: the demo merchant's verification was refused.");
        }
    }

    private static void Check(CommandResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo seed failed: " + result.Message);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
