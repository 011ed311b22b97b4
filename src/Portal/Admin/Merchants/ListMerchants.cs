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
/// totals (two queries whatever the number of merchants). Submissions awaiting review come first, oldest first.
/// </summary>
public sealed class ListMerchants(IDbContextFactory<PortalDbContext> dbFactory)
{
    private static readonly LedgerAccountKind[] MerchantKinds = [LedgerAccountKind.MerchantAvailable, LedgerAccountKind.MerchantPending, LedgerAccountKind.MerchantReserved];

    public async Task<IReadOnlyList<MerchantRow>> HandleAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var merchantRoleId = await db.Roles.Where(r => r.Name == PortalRoles.Merchant).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        var merchants = await (
                from user in db.Users.AsNoTracking()
                where db.UserRoles.Any(ur => ur.UserId == user.Id && ur.RoleId == merchantRoleId)
                join merchant in db.MerchantProfiles.AsNoTracking() on user.Id equals merchant.MerchantId into profiles
                from profile in profiles.DefaultIfEmpty()
                select new { user.Id, user.Email, user.UserName, user.EmailConfirmed, user.TwoFactorEnabled, user.CreatedAt, Profile = profile })
            .ToListAsync(cancellationToken);
        var accounts = (await db.LedgerAccounts.AsNoTracking()
                .Where(a => a.MerchantId != null && MerchantKinds.Contains(a.Kind))
                .Select(a => new { a.MerchantId, a.Kind, a.Currency, a.Balance })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.MerchantId!, a => (a.Kind, a.Currency, a.Balance));

        return [.. merchants
            .Select(m => new MerchantRow(
                m.Id,
                m.Email ?? m.UserName ?? "",
                m.EmailConfirmed,
                m.TwoFactorEnabled,
                m.CreatedAt,
                m.Profile?.Status ?? VerificationStatus.NotSubmitted,
                m.Profile?.Details,
                m.Profile?.SubmittedAt,
                m.Profile?.ReviewedAt,
                m.Profile?.RejectionReason,
                GetBalances.FromAccounts(accounts[m.Id])))
            .OrderBy(r => r.AwaitsReview ? 0 : 1)
            .ThenBy(r => r.AwaitsReview ? r.SubmittedAt : null)
            .ThenBy(r => r.Email, StringComparer.OrdinalIgnoreCase)];
    }
}
