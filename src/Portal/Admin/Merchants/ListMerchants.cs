using Cashout.Domain.Ledger;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Merchants;

public sealed record MerchantRow(
    string UserId,
    string Email,
    bool EmailConfirmed,
    bool TwoFactorEnabled,
    DateTimeOffset CreatedAt,
    VerificationStatus Status,
    BusinessDetails? Details,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ReviewedAt,
    string? RejectionReason,
    IReadOnlyList<MerchantBalance> Balances)
{
    public bool IsVerified => MerchantStanding.IsVerified(EmailConfirmed, Status);

    public bool AwaitsReview => Status == VerificationStatus.Submitted;
}

/// <summary>
/// The back office's merchants: verification status and details, and balances per currency from the running
/// totals, a page at a time (three queries whatever the number of merchants), submissions awaiting review first; and
/// the verification queue, oldest submission first.
/// </summary>
public sealed class ListMerchants(IDbContextFactory<PortalDbContext> dbFactory)
{
    private static readonly LedgerAccountKind[] MerchantKinds = [LedgerAccountKind.MerchantAvailable, LedgerAccountKind.MerchantPending, LedgerAccountKind.MerchantReserved];

    /// <summary>One page of every merchant, those whose email or legal name contains <paramref name="search"/> (any case).</summary>
    public async Task<Page<MerchantRow>> HandleAsync(Caller caller, string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Page<MerchantRow>.Empty;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var merchants = await MerchantsAsync(db, cancellationToken);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Upper case on both sides: LIKE minds case on PostgreSQL. The search's own wildcards are escaped.
            var pattern = "%" + search.Trim().ToUpperInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            merchants = merchants.Where(m => EF.Functions.Like(m.Email!.ToUpper(), pattern, "\\") || (m.Profile != null && EF.Functions.Like(m.Profile.LegalName!.ToUpper(), pattern, "\\")));
        }

        var rows = await merchants
            .OrderBy(m => m.Profile != null && m.Profile.Status == VerificationStatus.Submitted ? 0 : 1)
            .ThenBy(m => m.Email)
            .Skip(page.SafeSkip)
            .Take(page.SafeTake)
            .ToListAsync(cancellationToken);
        return new Page<MerchantRow>(await WithBalancesAsync(db, rows, cancellationToken), await merchants.CountAsync(cancellationToken));
    }

    /// <summary>The submissions waiting for an admin's decision, oldest first.</summary>
    public async Task<IReadOnlyList<MerchantRow>> AwaitingReviewAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = await (await MerchantsAsync(db, cancellationToken))
            .Where(m => m.Profile != null && m.Profile.Status == VerificationStatus.Submitted)
            .ToListAsync(cancellationToken);
        return [.. (await WithBalancesAsync(db, waiting, cancellationToken)).OrderBy(r => r.SubmittedAt)];
    }

    private static async Task<IQueryable<MerchantRecord>> MerchantsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var merchantRoleId = await db.Roles.Where(r => r.Name == PortalRoles.Merchant).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        return from user in db.Users.AsNoTracking()
               where db.UserRoles.Any(ur => ur.UserId == user.Id && ur.RoleId == merchantRoleId)
               join merchant in db.MerchantProfiles.AsNoTracking() on user.Id equals merchant.MerchantId into profiles
               from profile in profiles.DefaultIfEmpty()
               select new MerchantRecord
               {
                   Id = user.Id,
                   Email = user.Email ?? user.UserName,
                   EmailConfirmed = user.EmailConfirmed,
                   TwoFactorEnabled = user.TwoFactorEnabled,
                   CreatedAt = user.CreatedAt,
                   Profile = profile,
               };
    }

    private static async Task<IReadOnlyList<MerchantRow>> WithBalancesAsync(PortalDbContext db, IReadOnlyList<MerchantRecord> merchants, CancellationToken cancellationToken)
    {
        var ids = merchants.Select(m => m.Id).ToList();
        var accounts = (await db.LedgerAccounts.AsNoTracking()
                .Where(a => a.MerchantId != null && ids.Contains(a.MerchantId) && MerchantKinds.Contains(a.Kind))
                .Select(a => new { a.MerchantId, a.Kind, a.Currency, a.Balance })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.MerchantId!, a => (a.Kind, a.Currency, a.Balance));

        return [.. merchants.Select(m => new MerchantRow(
            m.Id,
            m.Email ?? "",
            m.EmailConfirmed,
            m.TwoFactorEnabled,
            m.CreatedAt,
            m.Profile?.Status ?? VerificationStatus.NotSubmitted,
            m.Profile?.Details,
            m.Profile?.SubmittedAt,
            m.Profile?.ReviewedAt,
            m.Profile?.RejectionReason,
            GetBalances.FromAccounts(accounts[m.Id])))];
    }

    // Built with an initializer, not a constructor, so EF Core can filter, sort and page over it in SQL.
    private sealed class MerchantRecord
    {
        public required string Id { get; init; }
        public string? Email { get; init; }
        public bool EmailConfirmed { get; init; }
        public bool TwoFactorEnabled { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public MerchantProfile? Profile { get; init; }
    }
}
