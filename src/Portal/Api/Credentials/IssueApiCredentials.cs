using System.Security.Cryptography;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Api.Credentials;

/// <summary>Credentials in clear text: returned once, when issued; only the pass's hash and the encrypted secret are kept.</summary>
public sealed record IssuedApiCredentials(string Login, string Pass, string SignatureSecret, string BalanceAccountId);

public sealed record IssueApiCredentialsOutcome(CommandResult Result, IssuedApiCredentials? Issued = null);

/// <summary>
/// Creates a merchant's API credentials, or rotates them (new login, pass and signature secret; the old ones stop
/// working at once). Needs a recent re-authentication, like every security-sensitive change; an API client cannot
/// issue credentials for itself.
/// </summary>
public sealed class IssueApiCredentials(IDbContextFactory<PortalDbContext> dbFactory, ApiAuthenticator authenticator, StepUpPolicy stepUp, TimeProvider time)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<IssueApiCredentialsOutcome> HandleAsync(Caller caller, string merchantId, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == merchantId) || caller.ViaApiCredential)
        {
            return new(CommandResult.Forbidden);
        }

        if (!stepUp.IsSatisfied(caller))
        {
            return new(CommandResult.Refused(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage));
        }

        var issued = new IssuedApiCredentials(
            "lg_" + RandomNumberGenerator.GetString(Alphabet, 24),
            RandomNumberGenerator.GetString(Alphabet, ApiCredential.MaxLength),
            "sig_" + RandomNumberGenerator.GetString(Alphabet, 40),
            "");
        return new(CommandResult.Ok, await StoreAsync(merchantId, issued, cancellationToken));
    }

    /// <summary>Stores given credentials (the demo seed's fixed ones, or freshly generated ones).</summary>
    internal async Task<IssuedApiCredentials> StoreAsync(string merchantId, IssuedApiCredentials credentials, CancellationToken cancellationToken, string? balanceAccountId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var protectedSecret = authenticator.Protector.Protect(credentials.SignatureSecret);
        var existing = await db.Set<ApiCredential>().SingleOrDefaultAsync(c => c.MerchantId == merchantId, cancellationToken);
        if (existing is null)
        {
            db.Add(new ApiCredential(merchantId, credentials.Login, credentials.Pass, protectedSecret, now));
        }
        else
        {
            existing.Replace(credentials.Login, credentials.Pass, protectedSecret, now);
        }

        var account = await BalanceAccounts.EnsureAsync(db, merchantId, now, balanceAccountId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        authenticator.Forget(merchantId);
        return credentials with { BalanceAccountId = account };
    }
}

public static class BalanceAccounts
{
    /// <summary>The merchant's balance account id, created on first use.</summary>
    public static async Task<string> EnsureAsync(PortalDbContext db, string merchantId, DateTimeOffset now, string? preferredId, CancellationToken cancellationToken)
    {
        var id = await db.Set<BalanceAccount>().Where(a => a.MerchantId == merchantId).Select(a => a.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is not null)
        {
            return id;
        }

        var account = new BalanceAccount(preferredId ?? BalanceAccount.NewId(), merchantId, now);
        db.Add(account);
        return account.Id;
    }

    public static Task<string?> FindAsync(PortalDbContext db, string merchantId, CancellationToken cancellationToken) =>
        db.Set<BalanceAccount>().Where(a => a.MerchantId == merchantId).Select(a => a.Id).SingleOrDefaultAsync(cancellationToken);
}
