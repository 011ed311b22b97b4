using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Common;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Sandbox;

/// <summary>
/// The sandbox's HTTP API under /sandbox/{provider}/: the same contract the adapters speak (Providers/ProviderApi.cs).
/// Bearer API key on every call; submissions need an Idempotency-Key and pay once per key.
/// </summary>
public static class SandboxEndpoints
{
    public static void MapProviderSandbox(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value.Enabled)
        {
            return;
        }

        var sandbox = app.MapGroup("/sandbox/{provider}").AllowAnonymous().AddEndpointFilter(RequireApiKey)
            .AddEndpointFilter(ApiEndpoint.AnswerBusyDatabase(BusyError)).ExcludeFromDescription();
        sandbox.MapPost("/payouts", SubmitAsync);
        sandbox.MapGet("/payouts/{idempotencyKey}", GetAsync);
        sandbox.MapPost("/accounts/verify", (AccountCheck check) => Results.Ok(new AccountCheckResult(
            !string.IsNullOrWhiteSpace(check.Payee) && !SandboxTriggers.IsInvalidAccount(check.Payee),
            SandboxTriggers.IsInvalidAccount(check.Payee) ? "The payee account does not exist." : null)));
        sandbox.MapPost("/routes", (string provider, RouteCheck check, IOptions<SandboxOptions> options) =>
        {
            var country = check.Payee.Length >= 2 ? check.Payee[..2].ToUpperInvariant() : "";
            var instant = provider == PayoutMethod.Bank.ToApiName() && options.Value.InstantCountries.Contains(country, StringComparer.Ordinal);
            return Results.Ok(new RouteCheckResult(instant ? ["regular", "instant"] : ["regular"]));
        });
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!PayoutMethodNames.TryParseApiName(http.Request.RouteValues["provider"]?.ToString(), out var method))
        {
            return Results.NotFound();
        }

        var expected = Encoding.UTF8.GetBytes("Bearer " + http.RequestServices.GetRequiredService<IOptions<ProvidersOptions>>().Value.For(method).ApiKey);
        var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? await next(context)
            : Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Missing or wrong API key.");
    }

    private static async Task<IResult> SubmitAsync(
        string provider,
        PayoutSubmission submission,
        HttpRequest request,
        SandboxLedger ledger,
        IOptions<SandboxOptions> options,
        CancellationToken cancellationToken)
    {
        var key = request.Headers[HttpPayoutProvider.IdempotencyKeyHeader].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64)
        {
            return Error(StatusCodes.Status400BadRequest, "IDEMPOTENCY_KEY_REQUIRED", "An Idempotency-Key header (at most 64 characters) is required.");
        }

        if (submission.Amount <= 0 || submission.NetAmount <= 0 || string.IsNullOrWhiteSpace(submission.Payee) || string.IsNullOrWhiteSpace(submission.Reference))
        {
            return Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST", "Reference, payee and positive amounts are required.");
        }

        var (outcome, payout) = await ledger.SubmitAsync(provider, key, submission, cancellationToken);
        if (SandboxTriggers.IsSlow(submission.Payee))
        {
            // The provider has done the work; only its answer is late (the caller may time out and ask again).
            await Task.Delay(options.Value.SlowResponseMilliseconds, cancellationToken);
        }

        return outcome switch
        {
            SubmitOutcome.Created => Results.Created($"payouts/{Uri.EscapeDataString(key)}", SandboxLedger.ToResource(payout!)),
            SubmitOutcome.Replayed => Results.Ok(SandboxLedger.ToResource(payout!)),
            SubmitOutcome.Unavailable => Error(StatusCodes.Status503ServiceUnavailable, "SERVICE_UNAVAILABLE", "The provider is temporarily unavailable."),
            SubmitOutcome.Rejected => Error(StatusCodes.Status422UnprocessableEntity, SandboxTriggers.RejectedCode, "The payout was rejected by the provider.", SandboxTriggers.RejectedError),
            _ => Error(StatusCodes.Status409Conflict, "IDEMPOTENCY_MISMATCH", "This Idempotency-Key was used for a different payout."),
        };
    }

    private static async Task<IResult> GetAsync(string provider, string idempotencyKey, SandboxLedger ledger, CancellationToken cancellationToken)
    {
        var payout = await ledger.FindAsync(provider, idempotencyKey, cancellationToken);
        return payout is null
            ? Error(StatusCodes.Status404NotFound, ProviderFailure.NotFoundCode, "No payout with this idempotency key.")
            : Results.Ok(SandboxLedger.ToResource(payout));
    }

    /// <summary>A busy sandbox database answers as an unavailable provider does, which the adapters retry.</summary>
    private static ApiResult BusyError(int status, string message) =>
        new(status, JsonSerializer.Serialize(new ProviderErrorBody("SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE", message), PortalJson.Options));

    private static IResult Error(int status, string code, string message, string? error = null) =>
        Results.Json(new ProviderErrorBody(code, error ?? code, message), statusCode: status);
}
