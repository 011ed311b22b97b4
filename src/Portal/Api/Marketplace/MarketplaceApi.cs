using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.PaymentMethods;

namespace Cashout.Portal.Api.Marketplace;

/// <summary>
/// Family A (reference/marketplace-cashout-process-api.txt): HTTP Basic credentials, the
/// <c>{"err","success","content"}</c> envelope, and the published messages with DESIGN.md's statuses.
/// </summary>
public static class MarketplaceApi
{
    public const string SubmittedMessage = "Cashout request submitted successfully";

    public static void MapMarketplaceApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/cashout").WithTags("Family A: marketplace");
        group.MapPost("/process", (HttpContext context) => Run(context, ProcessAsync));
        // Linking and unlinking change where the next payout goes: the static login and pass are not enough.
        group.MapPost("/link", (HttpContext context) => Run(context, LinkAsync, signed: true));
        group.MapPost("/unlink", (HttpContext context) => Run(context, UnlinkAsync, signed: true));
        group.MapGet("/balance", (HttpContext context) => Run(context, BalanceAsync));
        group.MapGet("/{id}", (HttpContext context, string id) => Run(context, (ctx, client, _) => CashoutAsync(ctx, client, id)));
    }

    public static ApiResult Error(int status, string message) =>
        ApiResult.Of(status, new JsonObject { ["err"] = true, ["success"] = false, ["message"] = message });

    private static ApiResult Error(int status, string message, string? detail) =>
        ApiResult.Of(status, new JsonObject { ["err"] = true, ["success"] = false, ["message"] = message, ["detail"] = detail });

    private static ApiResult Success(JsonObject content) =>
        ApiResult.Of(StatusCodes.Status200OK, new JsonObject { ["err"] = false, ["success"] = true, ["content"] = content });

    private delegate Task<ApiResult> Handler(HttpContext context, ApiClient client, byte[] body);

    /// <summary>
    /// What a link or unlink without a valid <c>Payload-Signature</c> gets: a 401 like family C's, since the missing
    /// proof is a credential (docs/decisions/019-api-payout-destinations-need-a-signature.md).
    /// </summary>
    public const string SignatureRequiredMessage =
        "Invalid Payload-Signature: linking and unlinking a payout method need the exact body signed with your signature secret (HMAC-SHA256, lowercase hex)";

    /// <param name="signed">The body must also carry a valid Payload-Signature; checked before the Idempotency-Key is
    /// claimed, so an unsigned request neither stores an answer under the key nor replays a signed one's.</param>
    private static Task Run(HttpContext context, Handler handler, bool signed = false) => ApiEndpoint.RunAsync(context, Error, async () =>
    {
        var (body, tooLarge) = await ApiEndpoint.ReadBodyAsync(context, Error);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (login, pass) = ReadBasic(context.Request);
        var authentication = await context.RequestServices.GetRequiredService<ApiAuthenticator>().AuthenticateAsync(login, pass, context.RequestAborted);
        if (authentication.Client is not { } client)
        {
            var failed = ApiEndpoint.AuthError(authentication, Error);
            return failed.Status == StatusCodes.Status401Unauthorized ? failed.WithHeader("WWW-Authenticate", "Basic realm=\"cashout\", charset=\"UTF-8\"") : failed;
        }

        if (signed && !PayloadSignature.Matches(context.Request, client, body!))
        {
            return Error(StatusCodes.Status401Unauthorized, SignatureRequiredMessage);
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            var idempotency = context.RequestServices.GetRequiredService<Idempotency>();
            return await idempotency.RunAsync(context, client.MerchantId, body!, Error, () => handler(context, client, body!));
        }

        return await handler(context, client, body!);
    });

    private static (string? Login, string? Pass) ReadBasic(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) ||
            !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static async Task<ApiResult> ProcessAsync(HttpContext context, ApiClient client, byte[] body)
    {
        if (!ApiBody.TryParseObject(body, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        var fields = new JsonFields(root);
        var amount = fields.Integer("amount", required: true);
        var methodName = fields.Text("method", required: true, maxLength: 20);
        var email = fields.Text("email", required: false, maxLength: 256);
        var method = ParseMethod(fields, methodName);
        if (email is not null && !PayeeDetails.IsPlausibleEmail(email))
        {
            fields.Add("email", email, "email must be a valid email address");
        }

        if (!fields.IsValid)
        {
            return Error(StatusCodes.Status400BadRequest, fields.Errors[0].Message);
        }

        var outcome = await context.RequestServices.GetRequiredService<RequestCashout>().HandleAsync(
            client.Caller, new RequestCashoutCommand(client.MerchantId, method!.Value, amount!.Value, Currency.USD, Source: "api-a"), context.RequestAborted);
        if (outcome.Cashout is { } cashout)
        {
            return Success(Describe(cashout, SubmittedMessage));
        }

        if (outcome.Decline is { } decline)
        {
            var result = Error(StatusFor(decline.Rule), decline.Message, decline.Detail);
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return decline.RetryAt is { } retryAt ? result.WithHeader("Retry-After", ApiEndpoint.RetryAfterSeconds(retryAt, now)) : result;
        }

        return Error(StatusCodes.Status400BadRequest, outcome.Error?.Message ?? "The request was refused");
    }

    /// <summary>DESIGN.md section 6: 400 validation and minimum, 403 verification, 422 not linked or insufficient, 409 pending, 429 cooldown.</summary>
    public static int StatusFor(CashoutDeclineRule rule) => rule switch
    {
        CashoutDeclineRule.VerificationRequired => StatusCodes.Status403Forbidden,
        CashoutDeclineRule.PaymentMethodNotLinked or CashoutDeclineRule.InsufficientBalance => StatusCodes.Status422UnprocessableEntity,
        CashoutDeclineRule.PendingCashoutExists => StatusCodes.Status409Conflict,
        CashoutDeclineRule.CooldownPeriod => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    private static async Task<ApiResult> LinkAsync(HttpContext context, ApiClient client, byte[] body)
    {
        if (!ApiBody.TryParseObject(body, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        var fields = new JsonFields(root);
        var methodName = fields.Text("method", required: true, maxLength: 20);
        var email = fields.Text("email", required: false, maxLength: 256);
        var payeeId = fields.Text("payeeId", required: false, maxLength: 100);
        var method = ParseMethod(fields, methodName);
        if (!fields.IsValid)
        {
            return Error(StatusCodes.Status400BadRequest, fields.Errors[0].Message);
        }

        var outcome = await context.RequestServices.GetRequiredService<LinkPaymentMethod>().HandleAsync(
            client.Caller, new LinkPaymentMethodCommand(client.MerchantId, method!.Value, PayeeEmail: email, PayeeId: payeeId), context.RequestAborted);
        if (outcome.Method is { } linked)
        {
            return Success(new JsonObject
            {
                ["method"] = linked.Method.ToApiName(),
                ["email"] = linked.PayeeEmail,
                ["payeeId"] = linked.PayeeId,
                ["linkedAt"] = linked.LinkedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["message"] = "Payment method linked successfully",
            });
        }

        var result = outcome.Result;
        return result.Code switch
        {
            "verification_required" => Error(StatusCodes.Status403Forbidden, result.Message!),
            "already_linked" => Error(StatusCodes.Status409Conflict, result.Message!),
            LinkPaymentMethod.AccountNotVerifiedCode => Error(StatusCodes.Status422UnprocessableEntity, result.Message!),
            LinkPaymentMethod.ProviderUnavailableCode => Error(StatusCodes.Status503ServiceUnavailable, result.Message!),
            "invalid_details" => Error(StatusCodes.Status400BadRequest, outcome.Problems is { Count: > 0 } problems ? problems[0].Message : result.Message!),
            _ => Error(StatusCodes.Status400BadRequest, result.Message ?? "The request was refused"),
        };
    }

    private static async Task<ApiResult> UnlinkAsync(HttpContext context, ApiClient client, byte[] body)
    {
        if (!ApiBody.TryParseObject(body, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        var fields = new JsonFields(root);
        var method = ParseMethod(fields, fields.Text("method", required: true, maxLength: 20));
        if (!fields.IsValid)
        {
            return Error(StatusCodes.Status400BadRequest, fields.Errors[0].Message);
        }

        var result = await context.RequestServices.GetRequiredService<UnlinkPaymentMethod>().HandleAsync(client.Caller, client.MerchantId, method!.Value, context.RequestAborted);
        if (result.Succeeded)
        {
            return Success(new JsonObject { ["method"] = method.Value.ToApiName(), ["message"] = "Payment method unlinked successfully" });
        }

        return result.Code switch
        {
            PaymentMethod.NotLinkedCode => Error(StatusCodes.Status422UnprocessableEntity, "Payment method not linked"),
            PaymentMethod.CashoutInFlightCode => Error(StatusCodes.Status409Conflict, result.Message!),
            _ => Error(StatusCodes.Status400BadRequest, result.Message ?? "The request was refused"),
        };
    }

    private static async Task<ApiResult> BalanceAsync(HttpContext context, ApiClient client, byte[] body)
    {
        var balances = await context.RequestServices.GetRequiredService<GetBalances>().HandleAsync(client.Caller, client.MerchantId, context.RequestAborted);
        var usd = balances.FirstOrDefault(b => b.Currency == Currency.USD);
        var all = new JsonArray([.. balances.Select(b => (JsonNode)new JsonObject
        {
            ["currency"] = b.Currency.Code,
            ["available"] = b.Available.MinorUnits,
            ["pending"] = b.Pending.MinorUnits,
            ["reserved"] = b.Reserved.MinorUnits,
        })]);
        return Success(new JsonObject
        {
            ["currency"] = Currency.USD.Code,
            ["available"] = usd?.Available.MinorUnits ?? 0,
            ["pending"] = usd?.Pending.MinorUnits ?? 0,
            ["reserved"] = usd?.Reserved.MinorUnits ?? 0,
            ["balances"] = all,
        });
    }

    private static async Task<ApiResult> CashoutAsync(HttpContext context, ApiClient client, string id)
    {
        var cashout = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var cashoutId)
            ? await context.RequestServices.GetRequiredService<GetCashout>().ByIdAsync(client.Caller, cashoutId, context.RequestAborted)
            : null;
        return cashout is null ? Error(StatusCodes.Status404NotFound, "Cashout not found") : Success(Describe(cashout, message: null));
    }

    private static JsonObject Describe(MerchantCashout cashout, string? message)
    {
        var content = new JsonObject
        {
            ["cashoutId"] = cashout.Id,
            ["amount"] = cashout.Amount.MinorUnits,
            ["method"] = cashout.Method.ToApiName(),
            ["fee"] = cashout.Fee.MinorUnits,
            ["netAmount"] = cashout.NetPayout.MinorUnits,
            ["status"] = cashout.Status.ToFamilyAStatus(),
            ["estimatedCompletion"] = cashout.Quote.EstimatedCompletion.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (message is not null)
        {
            content["message"] = message;
            return content;
        }

        content["currency"] = cashout.Currency.Code;
        content["createdAt"] = cashout.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (cashout.HoldReason is not null)
        {
            content["holdReason"] = cashout.HoldReason;
        }

        if (cashout.RejectionCode is not null)
        {
            content["rejectionCode"] = cashout.RejectionCode;
            content["rejectionReason"] = cashout.RejectionReason;
        }

        return content;
    }

    /// <summary>Family A pays out through payoneer or tipalti only (bank is family B's).</summary>
    private static PayoutMethod? ParseMethod(JsonFields fields, string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (PayoutMethodNames.TryParseApiName(name, out var method) && method != PayoutMethod.Bank)
        {
            return method;
        }

        fields.Add("method", name, "method must be payoneer or tipalti");
        return null;
    }
}
