using System.Text.Json;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Providers;

/// <summary>
/// POST /webhooks/providers/{provider}: a provider's signed report about a payout. Refused with 401 unless the
/// Standard Webhooks signature matches the provider's secret within the 5-minute tolerance; a replayed webhook id
/// is acknowledged and changes nothing. Answers 2xx once the report is durably applied, so the provider retries
/// anything that was not.
/// </summary>
public static class ReceiveProviderWebhook
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// A property named twice is malformed, as in the API families (ApiBody.TryParseObject): which of two
    /// <c>status</c> values a reader keeps is the kind of ambiguity a forged report would use.
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new(PortalJson.Options) { AllowDuplicateProperties = false };

    public static async Task<IResult> HandleAsync(
        string provider,
        HttpRequest request,
        ApplyProviderReport reports,
        IOptions<ProvidersOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ReceiveProviderWebhook));
        if (!PayoutMethodNames.TryParseApiName(provider, out var method))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown provider");
        }

        var body = request.ContentLength > MaxBodyBytes ? null : await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"Webhook body too large: the limit is {MaxBodyBytes} bytes");
        }

        StandardWebhooks.TryDecodeSecret(options.Value.For(method).WebhookSecret, out var key);
        var headers = request.Headers;
        var webhookId = headers[StandardWebhooks.IdHeader].ToString();
        var verdict = StandardWebhooks.Verify(key, webhookId, headers[StandardWebhooks.TimestampHeader], headers[StandardWebhooks.SignatureHeader], body, time.GetUtcNow());
        if (verdict != WebhookVerdict.Valid)
        {
            // The verdict only: never the secret, the signature or the body.
            logger.LogWarning("Refused a {Provider} webhook: {Verdict}", method.ToApiName(), verdict);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook signature");
        }

        PayoutWebhookEvent? payload;
        try
        {
            payload = JsonSerializer.Deserialize<PayoutWebhookEvent>(body, Strict);
        }
        catch (JsonException)
        {
            payload = null;
        }

        var status = payload?.Type is { } type && type.StartsWith("payout.", StringComparison.Ordinal) ? type["payout.".Length..] : null;
        if (payload?.Data is null || status is null || webhookId.Length > 100)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed webhook");
        }

        if (!PayoutReference.TryParse(payload.Data.Reference, out var cashoutId))
        {
            logger.LogWarning("A {Provider} webhook names no cashout of ours ({Reference}); acknowledged and ignored", method.ToApiName(), payload.Data.Reference);
            return Results.Ok(new { status = "ignored" });
        }

        var outcome = await reports.HandleAsync(
            new ProviderReport(method, cashoutId, status, "webhook", payload.Data.Id, payload.Data.Code, payload.Data.Reason, webhookId),
            cancellationToken);
        return Results.Ok(new { status = outcome.ToString().ToLowerInvariant() });
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
