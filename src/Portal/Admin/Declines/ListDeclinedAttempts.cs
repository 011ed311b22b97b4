using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Declines;

public sealed record DeclinedAttemptRow(
    long Id,
    DateTimeOffset At,
    string MerchantId,
    string MerchantEmail,
    string Source,
    string Method,
    long Amount,
    string Currency,
    CashoutDeclineRule Rule,
    string Message,
    string Detail);

/// <param name="Merchant">Part of the merchant's email.</param>
public sealed record DeclineFilter(
    string? Merchant = null,
    CashoutDeclineRule? Rule = null,
    string? Source = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>Cashout requests the rules declined (who, when, what, why), newest first, filtered and paged on the server.</summary>
public sealed class ListDeclinedAttempts(IDbContextFactory<PortalDbContext> dbFactory)
{
    public static IReadOnlyList<string> Sources { get; } = ["portal", "api-a", "api-b", "api-c"];

    public async Task<Page<DeclinedAttemptRow>> HandleAsync(Caller caller, DeclineFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Page<DeclinedAttemptRow>.Empty;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query =
            from attempt in db.DeclinedAttempts.AsNoTracking()
            join user in db.Users on attempt.MerchantId equals user.Id into users
            from user in users.DefaultIfEmpty()
            select new { attempt, Email = user == null ? "" : user.Email ?? "" };

        if (!string.IsNullOrWhiteSpace(filter.Merchant))
        {
            var merchant = filter.Merchant.Trim().ToLower();
            query = query.Where(row => row.Email.ToLower().Contains(merchant));
        }

        if (filter.Rule is { } rule)
        {
            query = query.Where(row => row.attempt.Rule == rule);
        }

        if (!string.IsNullOrWhiteSpace(filter.Source))
        {
            query = query.Where(row => row.attempt.Source == filter.Source);
        }

        if (filter.From is { } from)
        {
            query = query.Where(row => row.attempt.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(row => row.attempt.At < to);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(row => row.attempt.At).ThenByDescending(row => row.attempt.Id)
            .Skip(page.SafeSkip).Take(page.SafeTake)
            .Select(row => new DeclinedAttemptRow(
                row.attempt.Id, row.attempt.At, row.attempt.MerchantId, row.Email, row.attempt.Source, row.attempt.Method,
                row.attempt.Amount, row.attempt.Currency, row.attempt.Rule, row.attempt.Message, row.attempt.Detail))
            .ToListAsync(cancellationToken);
        return new Page<DeclinedAttemptRow>(rows, total);
    }
}
