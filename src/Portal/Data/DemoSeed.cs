using Cashout.Domain.Monetary;
using Cashout.Portal.Balances;
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
    TimeProvider time,
    ILogger<DemoSeed> logger)
{
    public const string Password = "Demo!Cashout2026";
    public const string AdminEmail = "admin@cashout.test";
    public const string MerchantEmail = "merchant@cashout.test";
    public const string NewcomerEmail = "newcomer@cashout.test";

    /// <summary>The demo admin's authenticator secret (base32, in README), so QA flows can compute its codes.</summary>
    public const string AdminAuthenticatorKey = "JBSWY3DPEHPK3PXP";

    private static readonly BusinessDetails DemoBusiness = new("Demo Merchant LLC", "US", "Dana Demo", "+1 415 555 0100", "finance@merchant.cashout.test");
    /// <summary>The demo merchant's API credentials and balance account (README), so QA scripts can call every family.</summary>
    public const string ApiLogin = "demo_login";
    public const string ApiPass = "demo_pass";
    public const string ApiSignatureSecret = "demo_signature_secret";
    public const string BalanceAccountId = "BA00000000000000000000001";

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var admin = await EnsureUserAsync(AdminEmail, PortalRoles.Admin);
        await EnsureAuthenticatorAsync(admin);
        var merchant = await EnsureUserAsync(MerchantEmail, PortalRoles.Merchant);
        var newcomer = await EnsureUserAsync(NewcomerEmail, PortalRoles.Merchant);

        await EnsureProfileAsync(merchant.Id, approved: true, cancellationToken);
        await EnsureProfileAsync(newcomer.Id, approved: false, cancellationToken);
        await FundOnceAsync(merchant.Id, cancellationToken);
        await EnsureApiCredentialsAsync(merchant.Id, cancellationToken);
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
        logger.LogInformation("Funded demo merchant {Email}: $5,000.00 available, $1,000.00 pending", MerchantEmail);
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
