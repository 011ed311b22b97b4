using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>The columns a cashout list can be sorted by (a closed set: no client-supplied expressions reach SQL).</summary>
public enum CashoutSort
{
    CreatedAt,
    Amount,
    Status,
    Method,
    Id,
}

/// <summary>
/// Which cashouts to list. Merchants always get their own only, whatever <see cref="MerchantEmail"/> says;
/// admins may narrow by merchant email (contains), amount range (minor units) and age.
/// </summary>
/// <param name="From">Created at or after (inclusive).</param>
/// <param name="To">Created before (exclusive).</param>
/// <param name="OlderThan">Created at least this long ago (admins looking for stuck cashouts).</param>
public sealed record CashoutFilter(
    CashoutStatus? Status = null,
    PayoutMethod? Method = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? MerchantEmail = null,
    long? MinAmount = null,
    long? MaxAmount = null,
    TimeSpan? OlderThan = null);

/// <param name="Skip">Rows to skip (paging).</param>
/// <param name="Take">Rows to return; null for the whole filtered set (the CSV export).</param>
public sealed record CashoutPageRequest(CashoutFilter Filter, int Skip = 0, int? Take = 20, CashoutSort Sort = CashoutSort.CreatedAt, bool Descending = true);

/// <summary>One cashout as lists and exports show it.</summary>
public sealed record CashoutRow(
    long Id,
    string MerchantId,
    string MerchantEmail,
    CashoutStatus Status,
    PayoutMethod Method,
    Money Amount,
    Money Fee,
    Money NetPayout,
    Money Debit,
    string PayeeReference,
    string Destination,
    string? HoldReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset EstimatedCompletion,
    DateTimeOffset? CompletedAt = null,
    string? RejectionCode = null,
    string? RejectionReason = null)
{
    public static CashoutRow From(MerchantCashout c, string merchantEmail, string destination) => new(
        c.Id, c.MerchantId, merchantEmail, c.Status, c.Method, c.Amount, c.Fee, c.NetPayout, c.Debit, c.PayeeReference, destination, c.HoldReason,
        c.CreatedAt, c.UpdatedAt, c.Quote.EstimatedCompletion, c.CompletedAt, c.RejectionCode, c.RejectionReason);
}

public sealed record CashoutPage(IReadOnlyList<CashoutRow> Rows, int TotalCount);

/// <summary>
/// Lists cashouts for the history grid, the back office and the CSV export: filtered, sorted and paged in
/// SQL. A merchant sees only its own cashouts; an admin sees everyone's; anyone else sees nothing.
/// </summary>
public sealed class ListCashouts(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The most rows one export returns, so a huge history cannot exhaust the server.</summary>
    public const int MaxExportRows = 50_000;

    public async Task<CashoutPage> HandleAsync(Caller caller, CashoutPageRequest request, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant || caller.IsAdmin))
        {
            return new CashoutPage([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filter(db, caller, request.Filter);
        var total = await query.CountAsync(cancellationToken);
        var sorted = Sort(query, request.Sort, request.Descending).Skip(Math.Max(0, request.Skip));
        sorted = sorted.Take(Math.Clamp(request.Take ?? MaxExportRows, 1, MaxExportRows));

        var rows = await sorted
            .Select(c => new
            {
                Cashout = c,
                Email = db.Users.Where(u => u.Id == c.MerchantId).Select(u => u.Email).FirstOrDefault(),
            })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var destinations = await CashoutDestinations.OfAsync(db, [.. rows.Select(r => r.Cashout)], cancellationToken);
        return new CashoutPage(
            [.. rows.Select((r, i) => CashoutRow.From(r.Cashout, r.Email ?? "", destinations[i]))],
            total);
    }

    private IQueryable<MerchantCashout> Filter(PortalDbContext db, Caller caller, CashoutFilter filter)
    {
        var query = db.Cashouts.AsQueryable();
        if (!caller.IsAdmin)
        {
            query = query.Where(c => c.MerchantId == caller.Id);
        }
        else if (!string.IsNullOrWhiteSpace(filter.MerchantEmail))
        {
            var email = filter.MerchantEmail.Trim().ToUpperInvariant();
            query = query.Where(c => db.Users.Any(u => u.Id == c.MerchantId && u.NormalizedEmail!.Contains(email)));
        }

        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (filter.Method is { } method)
        {
            query = query.Where(c => c.Method == method);
        }

        if (filter.From is { } from)
        {
            query = query.Where(c => c.CreatedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(c => c.CreatedAt < to);
        }

        if (caller.IsAdmin)
        {
            if (filter.MinAmount is { } min)
            {
                query = query.Where(c => c.Amount.MinorUnits >= min);
            }

            if (filter.MaxAmount is { } max)
            {
                query = query.Where(c => c.Amount.MinorUnits <= max);
            }

            if (filter.OlderThan is { } age)
            {
                var createdBefore = time.GetUtcNow() - age;
                query = query.Where(c => c.CreatedAt <= createdBefore);
            }
        }

        return query;
    }

    private static IQueryable<MerchantCashout> Sort(IQueryable<MerchantCashout> query, CashoutSort sort, bool descending) => (sort, descending) switch
    {
        (CashoutSort.Amount, false) => query.OrderBy(c => c.Amount.MinorUnits).ThenBy(c => c.Id),
        (CashoutSort.Amount, true) => query.OrderByDescending(c => c.Amount.MinorUnits).ThenByDescending(c => c.Id),
        (CashoutSort.Status, false) => query.OrderBy(c => c.Status).ThenByDescending(c => c.Id),
        (CashoutSort.Status, true) => query.OrderByDescending(c => c.Status).ThenByDescending(c => c.Id),
        (CashoutSort.Method, false) => query.OrderBy(c => c.Method).ThenByDescending(c => c.Id),
        (CashoutSort.Method, true) => query.OrderByDescending(c => c.Method).ThenByDescending(c => c.Id),
        (CashoutSort.Id, false) => query.OrderBy(c => c.Id),
        (CashoutSort.Id, true) => query.OrderByDescending(c => c.Id),
        (_, false) => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        _ => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
    };
}
