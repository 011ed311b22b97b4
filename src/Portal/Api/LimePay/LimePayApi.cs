using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Microsoft.AspNetCore.DataProtection;

namespace Cashout.Portal.Api.LimePay;

/// <summary>
/// Family C (reference/limepay-cashout-status-api.txt): credentials in the body and a <c>Payload-Signature</c>
/// header, the lowercase hex HMAC-SHA256 of the exact body bytes keyed with the signature secret. Status codes
/// 0-5 with descriptions; 401 for credentials or signature, 412 for an unknown cashout, 400 for the rest.
/// </summary>
public static class LimePayApi
{
    public const string SignatureHeader = PayloadSignature.Header;
    public const string InvalidSignatureMessage = "Invalid Payload-Signature";
    public const string NotFoundMessage = "Cashout not found";
    public const string MerchantHoldReason = "Put on hold by the merchant";

    public static void MapLimePayApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/v3/cashout").WithTags("Family C: Lime-Pay");
        group.MapPost("", (HttpContext context) => Run(context, idempotent: true, CreateAsync));
        group.MapPost("/status", (HttpContext context) => Run(context, idempotent: false, StatusAsync));
        group.MapPut("/status", (HttpContext context) => Run(context, idempotent: false, ChangeStatusAsync));
        group.MapPost("/cancel", (HttpContext context) => Run(context, idempotent: true, CancelAsync));
    }

    public static ApiResult Error(int status, string message) => Error(status, TypeFor(status), message);

    private static ApiResult Error(int status, string type, string message) =>
        ApiResult.Of(status, new JsonObject { ["code"] = status, ["type"] = type, ["description"] = message });

    private static string TypeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "UNAUTHORIZED",
        StatusCodes.Status404NotFound => "NOT_FOUND",
        StatusCodes.Status405MethodNotAllowed => "METHOD_NOT_ALLOWED",
        StatusCodes.Status415UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        StatusCodes.Status503ServiceUnavailable => "SERVICE_UNAVAILABLE",
        StatusCodes.Status409Conflict => "CONFLICT",
        StatusCodes.Status412PreconditionFailed => "CASHOUT_NOT_FOUND",
        StatusCodes.Status413PayloadTooLarge => "PAYLOAD_TOO_LARGE",
        StatusCodes.Status429TooManyRequests => "TOO_MANY_REQUESTS",
        >= 500 => "INTERNAL_ERROR",
        _ => "INVALID_REQUEST",
    };

    /// <summary>The lowercase hex HMAC-SHA256 of <paramref name="body"/>: what a client sends as Payload-Signature.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) => PayloadSignature.Sign(secret, body);

    private delegate Task<ApiResult> Handler(HttpContext context, ApiClient client, JsonFields fields);

    private static Task Run(HttpContext context, bool idempotent, Handler handler) => ApiEndpoint.RunAsync(context, Error, async () =>
    {
        var (body, tooLarge) = await ApiEndpoint.ReadBodyAsync(context, Error);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        if (!ApiBody.TryParseObject(body!, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        string? Credential(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && JsonFields.TryGetString(value, out var text) ? text : null;

        var authentication = await context.RequestServices.GetRequiredService<ApiAuthenticator>().AuthenticateAsync(Credential("login"), Credential("pass"), context.RequestAborted);
        if (authentication.Client is not { } client)
        {
            return ApiEndpoint.AuthError(authentication, Error);
        }

        if (!PayloadSignature.Matches(context.Request, client, body!))
        {
            return Error(StatusCodes.Status401Unauthorized, InvalidSignatureMessage);
        }

        var fields = new JsonFields(root);
        if (idempotent)
        {
            return await context.RequestServices.GetRequiredService<Idempotency>().RunAsync(context, client.MerchantId, body!, Error, () => handler(context, client, fields));
        }

        return await handler(context, client, fields);
    });

    private static async Task<ApiResult> CreateAsync(HttpContext context, ApiClient client, JsonFields fields)
    {
        var externalId = fields.Text("external_id", required: true, maxLength: 100);
        var amount = fields.Integer("amount", required: true);
        var currencyCode = fields.Text("currency", required: false, maxLength: 10) ?? Currency.Default.Code;
        var methodName = fields.Text("method", required: true, maxLength: 20);
        var onHold = fields.Boolean("on_hold") ?? false;
        var holdReason = fields.Text("hold_reason", required: false, maxLength: 500);
        var method = default(PayoutMethod);
        if (methodName is not null && !PayoutMethodNames.TryParseApiName(methodName, out method))
        {
            fields.Add("method", methodName, "method must be payoneer, tipalti or bank");
        }

        if (!Currency.TryParse(currencyCode, out var currency))
        {
            fields.Add("currency", currencyCode, "currency must be one of USD, EUR, GBP, AUD");
        }

        if (!fields.IsValid)
        {
            return Error(StatusCodes.Status400BadRequest, fields.Errors[0].Message);
        }

        var outcome = await context.RequestServices.GetRequiredService<RequestCashout>().HandleAsync(client.Caller, new RequestCashoutCommand(
            client.MerchantId, method, amount!.Value, currency, Source: "api-c", ExternalId: externalId,
            InitialHoldReason: onHold ? holdReason ?? "Created on hold by the merchant (on_hold)" : null), context.RequestAborted);
        if (outcome.Cashout is { } cashout)
        {
            var created = Status(cashout);
            created.Insert(0, "cashout_id", cashout.Id);
            return ApiResult.Of(StatusCodes.Status200OK, created);
        }

        if (outcome.Decline is { } decline)
        {
            // DECLINED in the reference's flow: nothing was created. The message is the rule's exact one.
            var declined = Error(StatusCodes.Status400BadRequest, "DECLINED", decline.Message);
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return decline.RetryAt is { } retryAt ? declined.WithHeader("Retry-After", ApiEndpoint.RetryAfterSeconds(retryAt, now)) : declined;
        }

        return Error(StatusCodes.Status400BadRequest, outcome.Error?.Message ?? "The request was refused");
    }

    private static async Task<ApiResult> StatusAsync(HttpContext context, ApiClient client, JsonFields fields)
    {
        var cashout = await FindAsync(context, client, fields);
        return cashout.Result ?? ApiResult.Of(StatusCodes.Status200OK, Status(cashout.Cashout!));
    }

    private static async Task<ApiResult> ChangeStatusAsync(HttpContext context, ApiClient client, JsonFields fields)
    {
        var status = fields.Text("status", required: true, maxLength: 20);
        var reason = fields.Text("reason", required: false, maxLength: 500);
        if (status is not null and not ("ON_HOLD" or "PENDING"))
        {
            fields.Add("status", status, "status must be ON_HOLD or PENDING");
        }

        var found = await FindAsync(context, client, fields);
        if (found.Result is not null)
        {
            return found.Result;
        }

        var id = found.Cashout!.Id;
        var result = status == "ON_HOLD"
            ? await context.RequestServices.GetRequiredService<HoldCashout>().HandleAsync(client.Caller, id, reason ?? MerchantHoldReason, context.RequestAborted)
            : await context.RequestServices.GetRequiredService<ReleaseCashout>().HandleAsync(client.Caller, id, context.RequestAborted);
        return await AfterTransitionAsync(context, client, id, result);
    }

    private static async Task<ApiResult> CancelAsync(HttpContext context, ApiClient client, JsonFields fields)
    {
        var reason = fields.Text("reason", required: false, maxLength: 500);
        var found = await FindAsync(context, client, fields);
        if (found.Result is not null)
        {
            return found.Result;
        }

        var id = found.Cashout!.Id;
        var result = await context.RequestServices.GetRequiredService<CancelCashout>().HandleAsync(client.Caller, id, reason, context.RequestAborted);
        return await AfterTransitionAsync(context, client, id, result);
    }

    private static async Task<ApiResult> AfterTransitionAsync(HttpContext context, ApiClient client, long id, CommandResult result)
    {
        if (result.Status == CommandStatus.NotFound)
        {
            return Error(StatusCodes.Status412PreconditionFailed, NotFoundMessage);
        }

        if (!result.Succeeded)
        {
            return Error(StatusCodes.Status400BadRequest, result.Message ?? "The status change was refused");
        }

        var cashout = await context.RequestServices.GetRequiredService<GetCashout>().StatusByIdAsync(client.Caller, id, context.RequestAborted);
        var body = Status(cashout!);
        body.Insert(0, "cashout_id", id);
        return ApiResult.Of(StatusCodes.Status200OK, body);
    }

    /// <summary>Finds the cashout named by cashout_id (a number) or external_id; the other fields must be valid first.</summary>
    private static async Task<(CashoutStatusView? Cashout, ApiResult? Result)> FindAsync(HttpContext context, ApiClient client, JsonFields fields)
    {
        var cashoutId = fields.Integer("cashout_id", required: false);
        var externalId = fields.Text("external_id", required: false, maxLength: 100);
        if (fields.IsValid && cashoutId is null && externalId is null)
        {
            fields.Add("cashout_id", null, "cashout_id or external_id is required");
        }

        if (!fields.IsValid)
        {
            return (null, Error(StatusCodes.Status400BadRequest, fields.Errors[0].Message));
        }

        var reader = context.RequestServices.GetRequiredService<GetCashout>();
        var cashout = cashoutId is { } id
            ? await reader.StatusByIdAsync(client.Caller, id, context.RequestAborted)
            : await reader.StatusByExternalIdAsync(client.Caller, client.MerchantId, externalId!, context.RequestAborted);
        if (cashout is not null && cashoutId is not null && externalId is not null && cashout.ExternalId != externalId)
        {
            cashout = null;
        }

        return cashout is null ? (null, Error(StatusCodes.Status412PreconditionFailed, NotFoundMessage)) : (cashout, null);
    }

    private static JsonObject Status(MerchantCashout cashout) =>
        Status(new CashoutStatusView(cashout.Id, cashout.MerchantId, cashout.Status, cashout.RejectionCode, cashout.RejectionReason, cashout.ExternalId));

    private static JsonObject Status(CashoutStatusView cashout)
    {
        var status = cashout.Status.ToFamilyCStatus();
        var body = new JsonObject
        {
            ["cashout_status"] = status.Code,
            ["cashout_status_description"] = status.Description,
        };
        if (status == CashoutStatusMapping.FamilyCRejected && cashout.RejectionCode is { } code)
        {
            body["rejection_code"] = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? (JsonNode)numeric : (JsonNode)code;
            body["rejection_reason"] = cashout.RejectionReason;
        }

        if (cashout.ExternalId is not null)
        {
            body["external_id"] = cashout.ExternalId;
        }

        return body;
    }
}
