namespace Cashout.Portal.Providers;

// The provider wire contract the adapters speak and the sandbox serves (JSON, camelCase). A real provider's
// different shapes would be mapped inside its adapter; the rest of the portal only sees IPayoutProvider.

/// <summary>POST {base}/payouts, with an <c>Idempotency-Key</c> header: pay <paramref name="NetAmount"/> to the payee.</summary>
/// <param name="Reference">The portal's own reference of the payout (the cashout), echoed in status and webhooks.</param>
/// <param name="Priority"><c>instant</c> or <c>regular</c> (bank routes).</param>
public sealed record PayoutSubmission(string Reference, long Amount, long Fee, long NetAmount, string Currency, string Payee, string Priority);

/// <summary>A payout as the provider reports it (submit answer, status answer and webhook data).</summary>
/// <param name="Status">One of <see cref="PayoutStatuses"/>.</param>
public sealed record PayoutResource(string Id, string Reference, string Status, string? Code = null, string? Reason = null);

public static class PayoutStatuses
{
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Returned = "returned";
}

/// <summary>The body of a 4xx/5xx answer.</summary>
public sealed record ProviderErrorBody(string Code, string Error, string Message);

/// <summary>POST {base}/accounts/verify.</summary>
public sealed record AccountCheck(string Payee, string Currency);

public sealed record AccountCheckResult(bool Valid, string? Reason);

/// <summary>POST {base}/routes: which priorities can pay this payee this amount.</summary>
public sealed record RouteCheck(string Payee, long Amount, string Currency);

public sealed record RouteCheckResult(IReadOnlyList<string> Priorities)
{
    public bool AllowsInstant => Priorities.Contains("instant", StringComparer.Ordinal);
}

/// <summary>A signed webhook's body (Standard Webhooks' {type, timestamp, data}).</summary>
/// <param name="Type"><c>payout.processing</c>, <c>payout.completed</c>, <c>payout.failed</c> or <c>payout.returned</c>.</param>
public sealed record PayoutWebhookEvent(string Type, DateTimeOffset Timestamp, PayoutResource Data);
