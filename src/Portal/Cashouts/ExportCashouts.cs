using System.Globalization;
using System.Text;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using CsvHelper;
using Microsoft.AspNetCore.WebUtilities;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// A cashout grid's filter as a query string, so the page's address, the "Export CSV" link and the export endpoint
/// agree on what "the filtered set" is. Dates are whole UTC days; <c>to</c> is inclusive. The merchant email, the
/// amount range (major units, as typed) and the age (hours) are the back office's; ListCashouts ignores them for a merchant.
/// </summary>
public sealed record CashoutListQuery(
    CashoutStatus? Status,
    PayoutMethod? Method,
    DateOnly? From,
    DateOnly? To,
    CashoutSort Sort = CashoutSort.CreatedAt,
    bool Descending = true,
    string? MerchantEmail = null,
    decimal? MinAmount = null,
    decimal? MaxAmount = null,
    int? OlderThanHours = null)
{
    // Beyond these an amount in cents no longer fits a long, an age a date: such an address is ignored, not an error.
    private const decimal MaxAmountValue = long.MaxValue / 100;
    private const int MaxAgeHours = 1_000_000;

    public CashoutFilter ToFilter() => new(
        Status,
        Method,
        From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        MerchantEmail,
        MinAmount is { } min ? (long)(min * 100m) : null,
        MaxAmount is { } max ? (long)(max * 100m) : null,
        OlderThanHours is { } hours ? TimeSpan.FromHours(hours) : null);

    /// <summary>The query of this filter; the default sort (newest first) is left out, so an unfiltered list is just its path.</summary>
    public string ToQueryString()
    {
        var sorted = (Sort, Descending) != (CashoutSort.CreatedAt, true);
        var values = new Dictionary<string, string?>
        {
            ["status"] = Status?.ToString(),
            ["method"] = Method?.ToApiName(),
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["sort"] = sorted ? Sort.ToString() : null,
            ["desc"] = sorted ? (Descending ? "true" : "false") : null,
            ["merchant"] = string.IsNullOrWhiteSpace(MerchantEmail) ? null : MerchantEmail.Trim(),
            ["min"] = MinAmount?.ToString(CultureInfo.InvariantCulture),
            ["max"] = MaxAmount?.ToString(CultureInfo.InvariantCulture),
            ["age"] = OlderThanHours?.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("", values.Where(v => v.Value is not null)!);
    }

    /// <summary>Reads the query; anything unrecognised is ignored (no filter), never an error page.</summary>
    public static CashoutListQuery Parse(IQueryCollection query) => new(
        Enum.TryParse<CashoutStatus>(query["status"], ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : null,
        PayoutMethodNames.TryParseApiName(query["method"], out var method) ? method : null,
        DateOnly.TryParseExact(query["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from : null,
        DateOnly.TryParseExact(query["to"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) ? to : null,
        Enum.TryParse<CashoutSort>(query["sort"], ignoreCase: true, out var sort) && Enum.IsDefined(sort) ? sort : CashoutSort.CreatedAt,
        !string.Equals(query["desc"], "false", StringComparison.OrdinalIgnoreCase),
        string.IsNullOrWhiteSpace(query["merchant"]) ? null : query["merchant"].ToString().Trim(),
        ParseAmount(query["min"]),
        ParseAmount(query["max"]),
        int.TryParse(query["age"], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours is > 0 and <= MaxAgeHours ? hours : null);

    private static decimal? ParseAmount(string? value) =>
        decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= MaxAmountValue ? amount : null;
}

/// <summary>
/// The CSV download of the caller's filtered cashouts: every row of the filter, not just the page on screen, with
/// amounts as decimals in major units next to their currency code (what a spreadsheet or an accountant expects).
/// </summary>
public static class ExportCashouts
{
    public const string Path = "/cashouts/export.csv";

    public static string UrlFor(CashoutListQuery query) => Path.TrimStart('/') + query.ToQueryString();

    public static void MapCashoutExport(this WebApplication app) =>
        app.MapGet(Path, HandleAsync).RequireAuthorization();

    private static async Task<IResult> HandleAsync(HttpContext http, ListCashouts listCashouts, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = CashoutListQuery.Parse(http.Request.Query);
        var caller = Caller.FromPrincipal(http.User);
        var page = await listCashouts.HandleAsync(caller, new CashoutPageRequest(query.ToFilter(), Skip: 0, Take: null, query.Sort, query.Descending), cancellationToken);
        var fileName = $"cashouts-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        return Results.File(Write(page.Rows), "text/csv; charset=utf-8", fileName);
    }

    public static byte[] Write(IEnumerable<CashoutRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteField("Id");
            csv.WriteField("Created (UTC)");
            csv.WriteField("Status");
            csv.WriteField("Method");
            csv.WriteField("Currency");
            csv.WriteField("Amount");
            csv.WriteField("Fee");
            csv.WriteField("Net payout");
            csv.WriteField("Debited");
            csv.WriteField("Payee");
            csv.WriteField("Estimated completion (UTC)");
            csv.WriteField("Completed (UTC)");
            csv.WriteField("Rejection code");
            csv.WriteField("Failure or return reason");
            csv.NextRecord();
            foreach (var row in rows)
            {
                csv.WriteField(row.Id);
                csv.WriteField(row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(CashoutStatusText.Label(row.Status));
                csv.WriteField(row.Method.ToDisplayName());
                csv.WriteField(row.Amount.Currency.Code);
                csv.WriteField(row.Amount.MajorUnits.ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(row.Fee.MajorUnits.ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(row.NetPayout.MajorUnits.ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(row.Debit.MajorUnits.ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(row.Destination);
                csv.WriteField(row.EstimatedCompletion.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                csv.WriteField(row.CompletedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(row.RejectionCode);
                csv.WriteField(row.RejectionReason);
                csv.NextRecord();
            }
        }

        return buffer.ToArray();
    }
}
