using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>The first answer to a POST sent with an <c>Idempotency-Key</c>, kept for replays until it expires.</summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
    }

    public long Id { get; private set; }

    public string MerchantId { get; private set; } = "";

    public string Key { get; private set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; private set; } = "";

    /// <summary>Null while the first request is still running.</summary>
    public int? ResponseStatus { get; private set; }

    public string? ResponseJson { get; private set; }

    public string? ResponseHeaders { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}

/// <summary>
/// Makes a POST safe to retry. The key is claimed with one INSERT before any work (a unique index decides
/// between concurrent requests with the same key, so only one runs); its answer is stored and replayed for
/// <see cref="ApiOptions.IdempotencyHours"/>. A different request under a used key, or a retry while the
/// first is still running, is a 409. Server errors are not stored, so the client may retry them.
/// </summary>
public sealed class Idempotency(IDbContextFactory<PortalDbContext> dbFactory, IOptions<ApiOptions> options, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string KeyReusedMessage = "Idempotency-Key was already used with a different request";
    public const string InProgressMessage = "A request with this Idempotency-Key is still being processed; retry later";
    public const string InvalidKeyMessage = "Idempotency-Key must be 1 to 255 printable ASCII characters";

    public async Task<ApiResult> RunAsync(HttpContext context, string merchantId, byte[] body, ApiErrorFormat error, Func<Task<ApiResult>> handler)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (!context.Request.Headers.ContainsKey(HeaderName))
        {
            return await handler();
        }

        if (key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~'))
        {
            return error(StatusCodes.Status400BadRequest, InvalidKeyMessage);
        }

        var hash = Hash(context.Request, body);
        var cancellationToken = context.RequestAborted;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var claimed = await db.WriteAsync(() => db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "IdempotencyRecords" ("MerchantId", "Key", "RequestHash", "CreatedAt", "ExpiresAt")
                VALUES ({merchantId}, {key}, {hash}, {now.ToUnixTimeMilliseconds()}, {now.AddHours(options.Value.IdempotencyHours).ToUnixTimeMilliseconds()})
                ON CONFLICT ("MerchantId", "Key") DO NOTHING
                """,
                cancellationToken), cancellationToken);
            if (claimed == 1)
            {
                return await RunClaimedAsync(merchantId, key, handler);
            }

            var existing = await db.Set<IdempotencyRecord>().AsNoTracking().SingleAsync(r => r.MerchantId == merchantId && r.Key == key, cancellationToken);
            if (existing.ExpiresAt <= now)
            {
                await db.WriteAsync(() => db.Set<IdempotencyRecord>().Where(r => r.Id == existing.Id).ExecuteDeleteAsync(cancellationToken), cancellationToken);
                continue;
            }

            if (existing.RequestHash != hash)
            {
                return error(StatusCodes.Status409Conflict, KeyReusedMessage);
            }

            if (existing.ResponseStatus is not { } status)
            {
                return error(StatusCodes.Status409Conflict, InProgressMessage).WithHeader("Retry-After", "1");
            }

            var headers = existing.ResponseHeaders is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(existing.ResponseHeaders)!;
            headers[ReplayedHeader] = "true";
            return new ApiResult(status, existing.ResponseJson ?? "", headers);
        }

        return error(StatusCodes.Status409Conflict, InProgressMessage).WithHeader("Retry-After", "1");
    }

    private async Task<ApiResult> RunClaimedAsync(string merchantId, string key, Func<Task<ApiResult>> handler)
    {
        ApiResult result;
        try
        {
            result = await handler();
        }
        catch
        {
            await ReleaseAsync(merchantId, key);
            throw;
        }

        if (result.Status >= 500)
        {
            await ReleaseAsync(merchantId, key);
            return result;
        }

        // Stored even if the client went away: its retry must get this answer, not a second effect.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var headers = result.Headers is null ? null : JsonSerializer.Serialize(result.Headers);
        await db.WriteAsync(() => db.Set<IdempotencyRecord>()
            .Where(r => r.MerchantId == merchantId && r.Key == key)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.ResponseStatus, result.Status)
                .SetProperty(r => r.ResponseJson, result.Json)
                .SetProperty(r => r.ResponseHeaders, headers), CancellationToken.None), CancellationToken.None);
        return result;
    }

    private async Task ReleaseAsync(string merchantId, string key)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.WriteAsync(() => db.Set<IdempotencyRecord>().Where(r => r.MerchantId == merchantId && r.Key == key).ExecuteDeleteAsync(CancellationToken.None), CancellationToken.None);
    }

    /// <summary>Removes expired records (called by the webhook delivery job's sweep).</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.WriteAsync(() => db.Set<IdempotencyRecord>().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    private static string Hash(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
