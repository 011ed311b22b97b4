using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Api.Credentials;

/// <summary>A verified API client: the merchant it acts for, and its signature secret (decrypted) for the families that sign.</summary>
public sealed record ApiClient(string MerchantId, Caller Caller, string SignatureSecret);

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
/// <para>
/// A credential that verified is kept in memory (its salted pass hash and its decrypted signature secret), so an API
/// call does not read the database and decrypt the secret again: profiled, those were about half of a status call
/// (docs/performance.md). The pass is still verified on every request. A rotation evicts the merchant's entry the
/// moment it commits (<see cref="Forget"/>), so the old login, pass and secret fail on the very next request; an entry
/// also expires after <see cref="ApiOptions.CredentialCacheSeconds"/>, the most a change made by another writer of the
/// same database can go unseen. Only credentials that exist are kept, at most one per merchant.
/// </para>
/// </summary>
public sealed class ApiAuthenticator : IDisposable
{
    public const string SignatureSecretPurpose = "Cashout.Api.SignatureSecret.v1";

    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly TimeProvider time;
    private readonly TimeSpan keepFor;
    private readonly ConcurrentDictionary<string, KnownCredential> known = new(StringComparer.Ordinal);

    /// <summary>Counts evictions, so a lookup that read the database before a rotation committed never caches what it read.</summary>
    private long evictions;

    public ApiAuthenticator(IDbContextFactory<PortalDbContext> dbFactory, IOptions<ApiOptions> options, IDataProtectionProvider protection, TimeProvider time)
    {
        this.dbFactory = dbFactory;
        this.time = time;
        Protector = protection.CreateProtector(SignatureSecretPurpose);
        var settings = options.Value;
        keepFor = TimeSpan.FromSeconds(settings.CredentialCacheSeconds);
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

        var credential = await FindAsync(login, cancellationToken);
        if (credential is null || !credential.Stored.VerifyPass(pass))
        {
            return new(null, ApiAuthFailure.BadCredentials);
        }

        return new(new ApiClient(credential.Stored.MerchantId, Caller.ApiClient(credential.Stored.MerchantId), credential.SignatureSecret), ApiAuthFailure.None);
    }

    /// <summary>Evicts the merchant's credential: called right after a rotation commits.</summary>
    public void Forget(string merchantId)
    {
        Interlocked.Increment(ref evictions);
        foreach (var (login, credential) in known)
        {
            if (credential.Stored.MerchantId == merchantId)
            {
                known.TryRemove(login, out _);
            }
        }
    }

    private async Task<KnownCredential?> FindAsync(string login, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (known.TryGetValue(login, out var cached) && cached.Until > now)
        {
            return cached;
        }

        var evictionsBefore = Interlocked.Read(ref evictions);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Set<ApiCredential>().AsNoTracking().SingleOrDefaultAsync(c => c.Login == login, cancellationToken);
        if (stored is null)
        {
            known.TryRemove(login, out _);
            return null;
        }

        var credential = new KnownCredential(stored, Protector.Unprotect(stored.ProtectedSignatureSecret), now + keepFor);
        if (Interlocked.Read(ref evictions) == evictionsBefore)
        {
            known[login] = credential;
        }

        return credential;
    }

    private sealed record KnownCredential(ApiCredential Stored, string SignatureSecret, DateTimeOffset Until);

    public void Dispose() => limiter.Dispose();
}
