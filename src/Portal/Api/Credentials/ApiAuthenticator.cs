using System.Threading.RateLimiting;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Api.Credentials;

/// <summary>A verified API client: the merchant it acts for, and its signature secret when the family needs it.</summary>
public sealed record ApiClient(string MerchantId, Caller Caller, string ProtectedSignatureSecret);

public enum ApiAuthFailure
{
    None,
    BadCredentials,
    RateLimited,
}

public sealed record ApiAuthentication(ApiClient? Client, ApiAuthFailure Failure, TimeSpan RetryAfter = default)
{
    public const string BadCredentialsMessage = "Invalid API credentials";
    public const string RateLimitedMessage = "Too many requests for these API credentials";
}

/// <summary>
/// Checks a login and pass against the stored credentials, after taking a token from the login's rate limit
/// (so guessing passes is limited too). The limiter is ASP.NET Core's own (System.Threading.RateLimiting), one
/// token bucket per login; only logins of a valid length get a bucket, so junk cannot grow the table.
/// </summary>
public sealed class ApiAuthenticator : IDisposable
{
    public const string SignatureSecretPurpose = "Cashout.Api.SignatureSecret.v1";

    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly PartitionedRateLimiter<string> limiter;

    public ApiAuthenticator(IDbContextFactory<PortalDbContext> dbFactory, IOptions<ApiOptions> options, IDataProtectionProvider protection)
    {
        this.dbFactory = dbFactory;
        Protector = protection.CreateProtector(SignatureSecretPurpose);
        var settings = options.Value;
        limiter = PartitionedRateLimiter.Create<string, string>(login => RateLimitPartition.GetTokenBucketLimiter(login, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public IDataProtector Protector { get; }

    public async Task<ApiAuthentication> AuthenticateAsync(string? login, string? pass, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(login) || string.IsNullOrEmpty(pass) || login.Length > ApiCredential.MaxLength || pass.Length > ApiCredential.MaxLength)
        {
            return new(null, ApiAuthFailure.BadCredentials);
        }

        using var lease = limiter.AttemptAcquire(login);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return new(null, ApiAuthFailure.RateLimited, retryAfter);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.Set<ApiCredential>().AsNoTracking().SingleOrDefaultAsync(c => c.Login == login, cancellationToken);
        if (credential is null || !credential.VerifyPass(pass))
        {
            return new(null, ApiAuthFailure.BadCredentials);
        }

        return new(new ApiClient(credential.MerchantId, Caller.ApiClient(credential.MerchantId), credential.ProtectedSignatureSecret), ApiAuthFailure.None);
    }

    public void Dispose() => limiter.Dispose();
}
