using System.Globalization;
using System.Text.Json.Nodes;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Api.BalancePlatform;

/// <summary>
/// Family B (reference/adyen-platforms-cashouts.txt): <c>X-API-Key: login:pass</c>, Adyen-shaped requests and
/// responses, and problem details with the reference's titles and messages. Fees are charged on top.
/// </summary>
public static class BalancePlatformApi
{
    public const string ValidationTitle = "The request is missing required fields or contains invalid data";
    public const string ConfigurationTitle = "Configuration is missing or incorrect";
    private const string ProblemContentType = "application/problem+json";

    public static void MapBalancePlatformApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Family B: balance platform");
        group.MapGet("/balanceAccounts/{id}", (HttpContext context, string id) => Run(context, (ctx, client, _) => BalanceAccountAsync(ctx, client, id)));
        group.MapPost("/transferRoutes/calculate", (HttpContext context) => Run(context, CalculateRoutesAsync));
        // The merchant's history page is also /cashouts (and Razor pages accept form POSTs): the API comes first.
        group.MapPost("/cashouts", (HttpContext context) => Run(context, CashoutAsync)).WithOrder(-1);
    }

    /// <summary>Generic errors (credentials, rate limit, body size, malformed JSON) as problem details.</summary>
    public static ApiResult Error(int status, string message) => status switch
    {
        StatusCodes.Status401Unauthorized => Problem(status, "security/unauthorized", "Unauthorized", message, "00_401"),
        StatusCodes.Status403Forbidden => Problem(status, "security/forbidden", "Forbidden", message, "00_403"),
        StatusCodes.Status404NotFound => Problem(status, "general/entity-not-found", "Entity was not found", message, "30_404"),
        StatusCodes.Status405MethodNotAllowed => Problem(status, "general/method-not-allowed", "Method not allowed", message, "00_405"),
        StatusCodes.Status409Conflict => Problem(status, "general/conflict", "Conflict", message, "00_409"),
        StatusCodes.Status413PayloadTooLarge => Problem(status, "general/payload-too-large", "Payload too large", message, "00_413"),
        StatusCodes.Status415UnsupportedMediaType => Problem(status, "general/unsupported-media-type", "Unsupported media type", message, "00_415"),
        StatusCodes.Status429TooManyRequests => Problem(status, "general/too-many-requests", "Too many requests", message, "00_429"),
        StatusCodes.Status503ServiceUnavailable => Problem(status, "general/service-unavailable", "Service unavailable", message, "00_503"),
        >= 500 => Problem(status, "general/internal", "An internal error happened", message, "00_500"),
        _ => Problem(status, "general/bad-request", "Bad request", message, "00_400"),
    };

    private static ApiResult Problem(int status, string type, string title, string detail, string errorCode, IEnumerable<FieldError>? invalidFields = null)
    {
        var problem = new JsonObject
        {
            ["type"] = $"https://docs.adyen.com/errors/{type}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["errorCode"] = errorCode,
        };
        if (invalidFields is not null)
        {
            problem["invalidFields"] = new JsonArray([.. invalidFields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value ?? "", ["message"] = f.Message })]);
        }

        return ApiResult.Of(status, problem);
    }

    /// <summary>"The request is missing required fields or contains invalid data", 422.</summary>
    private static ApiResult Invalid(string detail, IEnumerable<FieldError>? fields = null) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "validation", ValidationTitle, detail, "30_011", fields);

    /// <summary>"Configuration is missing or incorrect", 422, naming the field.</summary>
    private static ApiResult Misconfigured(string field, string? value, string message) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "configuration", ConfigurationTitle, message, "30_012", [new FieldError(field, value, message)]);

    private delegate Task<ApiResult> Handler(HttpContext context, ApiClient client, byte[] body);

    private static Task Run(HttpContext context, Handler handler) => ApiEndpoint.RunAsync(context, Error, async () =>
    {
        var (body, tooLarge) = await ApiEndpoint.ReadBodyAsync(context, Error);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var key = context.Request.Headers["X-API-Key"].ToString();
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var authentication = await context.RequestServices.GetRequiredService<ApiAuthenticator>().AuthenticateAsync(
            colon < 0 ? null : key[..colon], colon < 0 ? null : key[(colon + 1)..], context.RequestAborted);
        if (authentication.Client is not { } client)
        {
            return ApiEndpoint.AuthError(authentication, Error);
        }

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/cashouts"))
        {
            return await context.RequestServices.GetRequiredService<Idempotency>().RunAsync(context, client.MerchantId, body!, Error, () => handler(context, client, body!));
        }

        return await handler(context, client, body!);
    }, ProblemContentType);

    private static async Task<ApiResult> BalanceAccountAsync(HttpContext context, ApiClient client, string id)
    {
        if (!await OwnsBalanceAccountAsync(context, client, id))
        {
            return Error(StatusCodes.Status404NotFound, $"Could not find balance account with id: {Shorten(id)}");
        }

        var balances = await context.RequestServices.GetRequiredService<GetBalances>().HandleAsync(client.Caller, client.MerchantId, context.RequestAborted);
        var rows = balances.Count > 0 ? balances : [new MerchantBalance(Currency.USD, Money.Of(0, Currency.USD), Money.Of(0, Currency.USD), Money.Of(0, Currency.USD))];
        return ApiResult.Of(StatusCodes.Status200OK, new JsonObject
        {
            ["id"] = id,
            ["accountHolderId"] = "AH" + id[2..],
            ["defaultCurrencyCode"] = Currency.USD.Code,
            ["description"] = "Merchant balance account",
            ["status"] = "active",
            ["balances"] = new JsonArray([.. rows.Select(b => (JsonNode)new JsonObject
            {
                ["currency"] = b.Currency.Code,
                ["available"] = b.Available.MinorUnits,
                ["balance"] = b.Available.MinorUnits + b.Reserved.MinorUnits,
                ["pending"] = b.Pending.MinorUnits,
                ["reserved"] = b.Reserved.MinorUnits,
                // What a cashout can draw on: settled funds plus pending funds, which a cashout makes available at once.
                ["pendingAvailable"] = b.Available.MinorUnits + b.Pending.MinorUnits,
            })]),
        });
    }

    private static async Task<ApiResult> CalculateRoutesAsync(HttpContext context, ApiClient client, byte[] body)
    {
        if (!ApiBody.TryParseObject(body, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        var fields = new JsonFields(root);
        var balanceAccountId = fields.Text("balanceAccountId", required: true, maxLength: 64);
        var instrumentId = fields.Text("counterparty.transferInstrumentId", required: true, maxLength: 64);
        var currencyCode = fields.Text("currency", required: true, maxLength: 3);
        var category = fields.Text("category", required: false, maxLength: 20) ?? "bank";
        fields.Text("balancePlatform", required: false, maxLength: 64);
        fields.Text("country", required: false, maxLength: 2);
        var priorities = ReadPriorities(root, fields);
        if (!fields.IsValid)
        {
            return Invalid("Invalid or missing fields", fields.Errors);
        }

        if (!Currency.TryParse(currencyCode, out var currency))
        {
            return Misconfigured("currency", currencyCode, "Invalid currency");
        }

        if (category != "bank")
        {
            return Invalid("Only the bank category is supported", [new FieldError("category", category, "category must be bank")]);
        }

        if (!await OwnsBalanceAccountAsync(context, client, balanceAccountId!))
        {
            return Invalid($"Could not find balance account with id: {balanceAccountId}");
        }

        var instrument = await FindInstrumentAsync(context, client, instrumentId!);
        if (instrument is null)
        {
            return Invalid($"Could not find transfer instrument with reference: {instrumentId}");
        }

        var routes = new JsonArray();
        foreach (var priority in priorities)
        {
            if (priority == "regular" || (priority == "instant" && instrument.SupportsInstant))
            {
                routes.Add(new JsonObject
                {
                    ["category"] = "bank",
                    ["country"] = instrument.BankAccount?.Country,
                    ["currency"] = currency.Code,
                    ["priority"] = priority,
                    ["requirements"] = new JsonArray(),
                });
            }
        }

        if (routes.Count == 0)
        {
            return Invalid($"No instant route found for transfer instrument id: {instrumentId}");
        }

        return ApiResult.Of(StatusCodes.Status200OK, new JsonObject { ["transferRoutes"] = routes });
    }

    private static List<string> ReadPriorities(System.Text.Json.JsonElement root, JsonFields fields)
    {
        if (!root.TryGetProperty("priorities", out var list) || list.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return ["regular", "instant"];
        }

        if (list.ValueKind != System.Text.Json.JsonValueKind.Array || list.GetArrayLength() is 0 or > 5 ||
            list.EnumerateArray().Any(p => p.ValueKind != System.Text.Json.JsonValueKind.String || !JsonFields.TryGetString(p, out var name) || name is not ("instant" or "regular")))
        {
            fields.Add("priorities", Shorten(list.GetRawText()), "priorities must be a list of instant and/or regular");
            return [];
        }

        return [.. list.EnumerateArray().Select(p => p.GetString()!).Distinct()];
    }

    private static async Task<ApiResult> CashoutAsync(HttpContext context, ApiClient client, byte[] body)
    {
        if (!ApiBody.TryParseObject(body, out var root, out var malformed))
        {
            return Error(StatusCodes.Status400BadRequest, malformed);
        }

        var fields = new JsonFields(root);
        var balanceAccountId = fields.Text("instructingBalanceAccountId", required: true, maxLength: 64);
        var value = fields.Integer("amount.value", required: true);
        var currencyCode = fields.Text("amount.currency", required: true, maxLength: 10);
        var instrumentId = fields.Text("counterparty.transferInstrumentId", required: false, maxLength: 64);
        var description = fields.Text("description", required: false, maxLength: 140);
        var reference = fields.Text("referenceForBeneficiary", required: false, maxLength: 80);
        var hasFee = fields.Has("fee");
        var feeValue = hasFee ? fields.Integer("fee.amount.value", required: true) : null;
        var feeCurrencyCode = hasFee ? fields.Text("fee.amount.currency", required: true, maxLength: 10) : null;
        if (instrumentId is null && description is not null)
        {
            fields.Add("description", description, "description is allowed only with counterparty.transferInstrumentId");
        }

        if (instrumentId is null && reference is not null)
        {
            fields.Add("referenceForBeneficiary", reference, "referenceForBeneficiary is allowed only with counterparty.transferInstrumentId");
        }

        if (!fields.IsValid)
        {
            return Invalid("Invalid or missing fields", fields.Errors);
        }

        // The reference's configuration errors, in its order: currencies, then the fee against the amount.
        if (!Currency.TryParse(currencyCode, out var currency) || value is <= 0 or > Money.MaximumMinorUnits)
        {
            return Misconfigured("amount", value?.ToString(CultureInfo.InvariantCulture), "Invalid amount");
        }

        Money? fee = null;
        if (hasFee)
        {
            if (!Currency.TryParse(feeCurrencyCode, out var feeCurrency) || feeValue is < 0 or > Money.MaximumMinorUnits)
            {
                return Misconfigured("fee.amount", feeValue?.ToString(CultureInfo.InvariantCulture), "Invalid fee amount");
            }

            fee = Money.Of(feeValue!.Value, feeCurrency);
        }

        if (!await OwnsBalanceAccountAsync(context, client, balanceAccountId!))
        {
            return Invalid($"Could not find balance account with id: {balanceAccountId}");
        }

        return instrumentId is null
            ? await CashoutToBalanceAsync(context, client, balanceAccountId!, Money.Of(value!.Value, currency), fee)
            : await CashoutToInstrumentAsync(context, client, balanceAccountId!, instrumentId, Money.Of(value!.Value, currency), fee, description, reference);
    }

    private static async Task<ApiResult> CashoutToBalanceAsync(HttpContext context, ApiClient client, string balanceAccountId, Money amount, Money? fee)
    {
        var outcome = await context.RequestServices.GetRequiredService<CashoutToBalance>().HandleAsync(
            client.Caller, new CashoutToBalanceCommand(client.MerchantId, amount.MinorUnits, amount.Currency, fee), context.RequestAborted);
        if (outcome.Decline is { } decline)
        {
            return Declined(decline, outcome.PendingAvailable ?? Money.Of(0, amount.Currency), context);
        }

        var id = CashoutToBalance.TransferId(outcome.TransactionId!.Value);
        var transfers = new JsonArray { Transfer(id + "-REPAYMENT", "cashoutRepayment") };
        if (outcome.Fee!.Value.IsPositive)
        {
            transfers.Add(Transfer(id + "-FEE", "cashoutFee"));
        }

        return ApiResult.Of(StatusCodes.Status200OK, new JsonObject
        {
            ["id"] = id,
            ["instructingBalanceAccountId"] = balanceAccountId,
            ["status"] = "booked",
            ["amount"] = CashoutWebhooks.Amount(amount),
            ["fee"] = new JsonObject { ["amount"] = CashoutWebhooks.Amount(outcome.Fee.Value) },
            ["transfers"] = transfers,
        });
    }

    private static async Task<ApiResult> CashoutToInstrumentAsync(
        HttpContext context, ApiClient client, string balanceAccountId, string instrumentId, Money amount, Money? fee, string? description, string? reference)
    {
        if (await FindInstrumentAsync(context, client, instrumentId) is null)
        {
            return Invalid($"Could not find transfer instrument with reference: {instrumentId}");
        }

        var outcome = await context.RequestServices.GetRequiredService<RequestCashout>().HandleAsync(client.Caller, new RequestCashoutCommand(
            client.MerchantId, PayoutMethod.Bank, amount.MinorUnits, amount.Currency, Source: "api-b",
            Semantics: Domain.Fees.FeeSemantics.FeeOnTop, PlatformFee: fee, DrawOnPendingFunds: true), context.RequestAborted);
        if (outcome.Cashout is not { } cashout)
        {
            if (outcome.Decline is { } decline)
            {
                var pendingAvailable = await PendingAvailableAsync(context, client, amount.Currency);
                return Declined(decline, pendingAvailable, context);
            }

            return Invalid(outcome.Error?.Message ?? "The request was refused");
        }

        var id = CashoutWebhooks.TransferId(cashout.Id);
        var transfers = new JsonArray { Transfer(id, "bankTransfer"), Transfer(id + "-REPAYMENT", "cashoutRepayment") };
        if (cashout.Fee.IsPositive)
        {
            transfers.Add(Transfer(id + "-FEE", "cashoutFee"));
        }

        var response = new JsonObject
        {
            ["id"] = cashout.Id.ToString(CultureInfo.InvariantCulture),
            ["instructingBalanceAccountId"] = balanceAccountId,
            ["status"] = cashout.Status == CashoutStatus.OnHold ? "onHold" : "received",
            ["amount"] = CashoutWebhooks.Amount(cashout.Amount),
            ["fee"] = new JsonObject { ["amount"] = CashoutWebhooks.Amount(cashout.Fee) },
            ["counterparty"] = new JsonObject { ["transferInstrumentId"] = instrumentId },
            ["priority"] = cashout.Quote.IsInstant ? "instant" : "regular",
            ["transfers"] = transfers,
        };
        if (description is not null)
        {
            response["description"] = description;
        }

        if (reference is not null)
        {
            response["referenceForBeneficiary"] = reference;
        }

        return ApiResult.Of(StatusCodes.Status200OK, response);
    }

    /// <summary>A declined cashout in the reference's words where it has them, the rule's exact message otherwise.</summary>
    private static ApiResult Declined(CashoutDecline decline, Money pendingAvailable, HttpContext context) => decline.Rule switch
    {
        CashoutDeclineRule.InvalidAmount => Misconfigured("amount", null, "Invalid amount"),
        CashoutDeclineRule.InvalidFeeAmount => Misconfigured("fee.amount", null, "Invalid fee amount"),
        CashoutDeclineRule.FeeCurrencyMismatch => Misconfigured("fee.amount.currency", null, "Fee amount has a different currency than instruction amount"),
        CashoutDeclineRule.AmountBelowMinimum => Misconfigured("amount", null, "Minimum required amount not reached"),
        CashoutDeclineRule.InsufficientBalance => Invalid($"Amount exceeds pending balance : {pendingAvailable.Currency.Code} {(pendingAvailable.MinorUnits / 100m).ToString("0.00", CultureInfo.InvariantCulture)}"),
        CashoutDeclineRule.VerificationRequired => Error(StatusCodes.Status403Forbidden, decline.Message),
        CashoutDeclineRule.PaymentMethodNotLinked => Invalid($"{decline.Message}: {decline.Detail}"),
        CashoutDeclineRule.CooldownPeriod => Invalid($"{decline.Message}: {decline.Detail}")
            .WithHeader("Retry-After", ApiEndpoint.RetryAfterSeconds(decline.RetryAt!.Value, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())),
        _ => Invalid($"{decline.Message}: {decline.Detail}"),
    };

    private static JsonObject Transfer(string id, string type) => new() { ["id"] = id, ["type"] = type };

    private static async Task<bool> OwnsBalanceAccountAsync(HttpContext context, ApiClient client, string id)
    {
        await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(context.RequestAborted);
        return await BalanceAccounts.FindAsync(db, client.MerchantId, context.RequestAborted) == id;
    }

    private static async Task<PaymentMethod?> FindInstrumentAsync(HttpContext context, ApiClient client, string instrumentId)
    {
        await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(context.RequestAborted);
        return await db.PaymentMethods.AsNoTracking().SingleOrDefaultAsync(
            m => m.MerchantId == client.MerchantId && m.TransferInstrumentId == instrumentId && m.UnlinkedAt == null, context.RequestAborted);
    }

    private static async Task<Money> PendingAvailableAsync(HttpContext context, ApiClient client, Currency currency)
    {
        var balances = await context.RequestServices.GetRequiredService<GetBalances>().HandleAsync(client.Caller, client.MerchantId, context.RequestAborted);
        var row = balances.FirstOrDefault(b => b.Currency == currency);
        return Money.Of(row is null ? 0 : row.Available.MinorUnits + row.Pending.MinorUnits, currency);
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
