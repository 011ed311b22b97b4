using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>One line of a cashout's timeline as people read it; <see cref="ActorName"/> is an email where one is known.</summary>
public sealed record CashoutTimelineEntry(
    long Id,
    CashoutEventType Type,
    DateTimeOffset At,
    CashoutStatus? FromStatus,
    CashoutStatus? ToStatus,
    ActorKind ActorKind,
    string ActorName,
    string? Reason,
    string? ProviderCode,
    string? Detail);

/// <summary>A cashout with the quote it was created with and its whole timeline, oldest first.</summary>
public sealed record CashoutDetails(
    long Id,
    string MerchantId,
    string MerchantEmail,
    CashoutStatus Status,
    PayoutMethod Method,
    Money Amount,
    Money Fee,
    Money NetPayout,
    Money Debit,
    Quote Quote,
    string PayeeReference,
    string Destination,
    string? ExternalId,
    string? HoldReason,
    ActorKind? HeldBy,
    string? ProviderReference,
    string? RejectionCode,
    string? RejectionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ReversibleUntil,
    IReadOnlyList<CashoutTimelineEntry> Timeline)
{
    /// <summary>
    /// The merchant may cancel while Pending or while on a hold it placed itself; a hold placed by an admin or a risk
    /// rule is released or cancelled by an admin only (MerchantCashout.Cancel).
    /// </summary>
    public bool MerchantCanCancel => Status == CashoutStatus.Pending || (Status == CashoutStatus.OnHold && HeldBy == ActorKind.Merchant);

    /// <summary>On hold for review by an admin or a risk rule: only an admin can release or cancel it.</summary>
    public bool HeldForReview => Status == CashoutStatus.OnHold && HeldBy is not null and not ActorKind.Merchant;

    /// <summary>Why an admin (or the back office's rules) cancelled it, for the banner the merchant sees first.</summary>
    public CashoutTimelineEntry? Cancellation => Status == CashoutStatus.Cancelled
        ? Timeline.LastOrDefault(e => e.Type == CashoutEventType.StatusChanged && e.ToStatus == CashoutStatus.Cancelled && e.ActorKind != ActorKind.Merchant && !string.IsNullOrWhiteSpace(e.Reason))
        : null;

    public CashoutRow ToRow() => new(
        Id, MerchantId, MerchantEmail, Status, Method, Amount, Fee, NetPayout, Debit, PayeeReference, Destination, HoldReason, CreatedAt, UpdatedAt, Quote.EstimatedCompletion);
}

/// <summary>
/// Reads one cashout for its details page. A merchant gets only its own: another merchant's id answers
/// null exactly like an id that does not exist, so ids reveal nothing.
/// </summary>
public sealed class GetCashoutDetails(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<CashoutDetails?> HandleAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cashout = await db.Cashouts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cashoutId, cancellationToken);
        if (cashout is null || !(caller.IsAdmin || (caller.IsMerchant && caller.Id == cashout.MerchantId)))
        {
            return null;
        }

        var events = await db.CashoutEvents.AsNoTracking()
            .Where(e => e.CashoutId == cashoutId)
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var userIds = events.Where(e => e.ActorKind is ActorKind.Merchant or ActorKind.Admin).Select(e => e.ActorId).Append(cashout.MerchantId).Distinct().ToList();
        var emails = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.UserName ?? u.Id, cancellationToken);

        return new CashoutDetails(
            cashout.Id,
            cashout.MerchantId,
            emails.GetValueOrDefault(cashout.MerchantId, ""),
            cashout.Status,
            cashout.Method,
            cashout.Amount,
            cashout.Fee,
            cashout.NetPayout,
            cashout.Debit,
            cashout.Quote,
            cashout.PayeeReference,
            await CashoutDestinations.OfAsync(db, cashout, cancellationToken),
            cashout.ExternalId,
            cashout.HoldReason,
            cashout.HeldBy,
            // The provider's own payout id (what its support asks for), not the key the portal submitted with.
            await db.ProviderSubmissions.Where(s => s.CashoutId == cashout.Id).Select(s => s.ProviderPayoutId).SingleOrDefaultAsync(cancellationToken),
            cashout.RejectionCode,
            cashout.RejectionReason,
            cashout.CreatedAt,
            cashout.UpdatedAt,
            cashout.CompletedAt,
            cashout.ReversibleUntil,
            [.. events.Select(e => new CashoutTimelineEntry(
                e.Id, e.Type, e.At, e.FromStatus, e.ToStatus, e.ActorKind, ActorName(e, emails, caller), e.Reason, e.ProviderCode, e.Detail))]);
    }

    // Merchants see "Back office" for an admin's action: which staff member acted is for the audit log, not for them.
    private static string ActorName(CashoutEvent e, Dictionary<string, string> emails, Caller caller) => e.ActorKind switch
    {
        ActorKind.Merchant => emails.GetValueOrDefault(e.ActorId, "Merchant"),
        ActorKind.Admin => caller.IsAdmin ? emails.GetValueOrDefault(e.ActorId, "Admin") : "Back office",
        ActorKind.Provider => $"Provider ({e.ActorId})",
        _ => e.ActorId == "email" ? "Email" : $"System ({e.ActorId})",
    };
}
