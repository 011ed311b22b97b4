using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Ledger;
using Cashout.Portal.Merchants;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Cashouts;

/// <param name="Source">Where the request came from (portal, api-a, api-b, api-c), for the declined-attempts list.</param>
/// <param name="InitialHoldReason">Create the cashout directly on hold (the API's on_hold flag), with this reason.</param>
/// <param name="DrawOnPendingFunds">The Adyen-style cashout: pending funds count as available and the part of the
/// debit that available does not cover is settled early, in the same transaction.</param>
public sealed record RequestCashoutCommand(
    string MerchantId,
    PayoutMethod Method,
    long Amount,
    Currency Currency,
    string Source = RequestCashout.PortalSource,
    FeeSemantics Semantics = FeeSemantics.FeeTakenFromAmount,
    Money? PlatformFee = null,
    string? ExternalId = null,
    string? InitialHoldReason = null,
    bool DrawOnPendingFunds = false);

/// <summary>
/// Either the cashout that was created, or why not: a decline by the cashout rules (recorded as a declined
/// attempt), a malformed request (<see cref="Error"/>: nothing recorded), or not allowed.
/// </summary>
public sealed record RequestCashoutOutcome(CommandStatus Status, MerchantCashout? Cashout = null, CashoutDecline? Decline = null, CommandResult? Error = null)
{
    public static RequestCashoutOutcome Created(MerchantCashout cashout) => new(CommandStatus.Succeeded, cashout);

    public static RequestCashoutOutcome Declined(CashoutDecline decline) => new(CommandStatus.Refused, Decline: decline);

    public static RequestCashoutOutcome Invalid(string code, string message) => new(CommandStatus.Refused, Error: CommandResult.Refused(code, message));
}

/// <summary>
/// A merchant asks to withdraw money. The rules of DESIGN.md section 2 are checked in order inside one
/// BEGIN IMMEDIATE transaction, so the balance, the pending cashout and the cooldown they read cannot change
/// before the cashout and its reservation are written. Behind that, the database itself refuses a second
/// cashout awaiting submission (a unique partial index) and an overdraft (a conditional update).
/// </summary>
public sealed class RequestCashout(
    IDbContextFactory<PortalDbContext> dbFactory,
    CashoutRequestRules rules,
    CashoutTransitionRunner transitions,
    LedgerWriter ledger,
    CashoutChanges changes,
    StepUpPolicy stepUp,
    IOptions<PayoutOptions> payouts,
    TimeProvider time)
{
    public const string PortalSource = "portal";

    /// <summary>
    /// The risk rule that holds a cashout to a newly linked destination (a changed destination is what a leaked
    /// credential or a taken-over account does first); a system hold, so only an admin releases or cancels it.
    /// </summary>
    public static readonly Actor CoolingOffRule = Actor.System("cooling-off");

    public static string CoolingOffReason(PayoutMethod method, int hours) =>
        $"Held for review: the {method.ToDisplayName()} payout method was linked less than {(hours == 1 ? "1 hour" : $"{hours} hours")} ago.";

    public async Task<RequestCashoutOutcome> HandleAsync(Caller caller, RequestCashoutCommand command, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsMerchant && caller.Id == command.MerchantId))
        {
            return new RequestCashoutOutcome(CommandStatus.Forbidden);
        }

        // A large cashout from a person in the portal needs a recent re-authentication (DESIGN.md section 4); the
        // page sends the user to /Account/StepUp on this code. API clients sign every request with their credentials.
        // An amount beyond the sane maximum is no cashout at all: the rules decline it as invalid.
        if (command.Source == PortalSource && Money.Of(command.Amount, command.Currency).IsValidRequestAmount
            && stepUp.IsLargeCashout(command.Amount) && !stepUp.IsSatisfied(caller))
        {
            return RequestCashoutOutcome.Invalid(StepUpPolicy.RequiredCode, StepUpPolicy.RequiredMessage);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed SaveChanges ends this transaction unsaved (the writes below never continue after one), so EF Core's
        // savepoint around each SaveChanges would only cost two statements more each time (docs/performance.md).
        db.Database.AutoSavepointsEnabled = false;
        await db.LockMerchantAsync(command.MerchantId, cancellationToken);
        var now = time.GetUtcNow();
        var request = new CashoutRequest(command.Method, command.Amount, command.Currency, command.Semantics, command.PlatformFee);
        var (snapshot, linkedMethods) = await ReadSnapshotAsync(db, command.MerchantId, command.Currency, now, cancellationToken);
        var available = snapshot.AvailableBalance.MinorUnits;
        if (command.DrawOnPendingFunds)
        {
            // Family B pays out of "pending available": what available lacks is settled early from pending sales.
            var pending = await PendingFundsDraw.PendingAsync(db, command.MerchantId, command.Currency, cancellationToken);
            snapshot = snapshot with { AvailableBalance = snapshot.AvailableBalance + Money.Of(pending, command.Currency) };
        }

        if (command.ExternalId is { } externalId && await db.Cashouts.AnyAsync(c => c.MerchantId == command.MerchantId && c.ExternalId == externalId, cancellationToken))
        {
            return RequestCashoutOutcome.Invalid("duplicate_external_id", $"A cashout with external id '{externalId}' already exists.");
        }

        var decision = rules.Evaluate(request, snapshot);
        if (decision.IsFailure)
        {
            var declined = await DeclineAsync(db, command, decision.Error, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return declined;
        }

        var actor = caller.ToActor();
        var payee = linkedMethods.Single(m => m.Method == command.Method);
        var initialHold = command.InitialHoldReason is null ? null : new InitialHold(actor, command.InitialHoldReason);
        var coolingOff = payouts.Value;
        if (coolingOff.CoolingOffHours > 0 && payee.IsNewlyLinked(now, coolingOff.CoolingOff))
        {
            // Created on hold (reserved like any cashout), not refused. The rule's hold replaces one the merchant
            // asked for (family C's on_hold): otherwise the merchant could release or cancel it.
            initialHold = new InitialHold(CoolingOffRule, CoolingOffReason(payee.Method, coolingOff.CoolingOffHours));
        }

        var created = MerchantCashout.Create(command.MerchantId, decision.Value, payee.PayeeReference, actor, now, command.ExternalId, initialHold);
        if (created.IsFailure)
        {
            return RequestCashoutOutcome.Invalid(created.Error.Code, created.Error.Message);
        }

        var cashout = created.Value.Cashout;
        try
        {
            await db.InsertAsync(cashout, cancellationToken);
            if (cashout.Debit.MinorUnits > available)
            {
                // Only reachable with DrawOnPendingFunds: the rules counted pending in, so it covers the shortfall.
                var shortfall = Money.Of(cashout.Debit.MinorUnits - available, command.Currency);
                await ledger.PostAsync(db, LedgerPostings.SettleEarly(command.MerchantId, shortfall), command.MerchantId, cashout.Id, cancellationToken);
                await PendingFundsDraw.ConsumeAsync(db, command.MerchantId, shortfall, now, cancellationToken);
            }

            await transitions.WriteAsync(db, cashout, created.Value.Transition, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changes.Publish(new CashoutChanged(cashout.Id, cashout.MerchantId, cashout.Status));
            return RequestCashoutOutcome.Created(cashout);
        }
        catch (Exception ex) when (ex is InsufficientFundsException || IsUniqueViolation(ex))
        {
            // The rules above make these unreachable while every writer uses BEGIN IMMEDIATE; the database
            // constraints are the last line, and a request that hits them is declined like any other.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            await using var again = await db.Database.BeginTransactionAsync(cancellationToken);
            var outcome = await DeclineAsync(db, command, ex is InsufficientFundsException
                ? new CashoutDecline(CashoutDeclineRule.InsufficientBalance, "Insufficient balance", "The available balance changed meanwhile.")
                : new CashoutDecline(CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists", "Another cashout was created meanwhile."), cancellationToken);
            await again.CommitAsync(cancellationToken);
            return outcome;
        }
    }

    /// <summary>What the rules need to know about the merchant (also read by <see cref="CheckCashoutRequest"/> before submit).</summary>
    internal static async Task<(CashoutRequestSnapshot Snapshot, List<PaymentMethod> LinkedMethods)> ReadSnapshotAsync(
        PortalDbContext db, string merchantId, Currency currency, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var linkedMethods = new List<PaymentMethod>();
        await foreach (var method in LinkedMethods(db, merchantId).WithCancellation(cancellationToken))
        {
            linkedMethods.Add(method);
        }

        var standing = await ReadStandingAsync(db, merchantId, currency, cancellationToken);
        var snapshot = new CashoutRequestSnapshot(
            standing.IsVerified,
            [.. linkedMethods.Select(m => m.ToQuoteOption())],
            standing.HasAwaitingCashout,
            standing.LastCooldownRequest,
            Money.Of(standing.Available, currency),
            now);
        return (snapshot, linkedMethods);
    }

    /// <summary>
    /// Read only (the payee and the quote's options): untracked, so no SaveChanges looks at them again. Compiled: every
    /// request reads it inside the write lock, and EF Core's query cache lookup was a tenth of a creation (docs/performance.md).
    /// </summary>
    private static readonly Func<PortalDbContext, string, IAsyncEnumerable<PaymentMethod>> LinkedMethods =
        EF.CompileAsyncQuery((PortalDbContext db, string merchantId) => db.PaymentMethods.AsNoTracking().Where(m => m.MerchantId == merchantId && m.UnlinkedAt == null));

    private sealed record Standing(bool IsVerified, bool HasAwaitingCashout, DateTimeOffset? LastCooldownRequest, long Available);

    /// <summary>
    /// The rest of the snapshot in one statement, a plain command (every request reads it inside the write lock:
    /// docs/performance.md): the merchant's verification, whether a cashout awaits submission, when the latest cashout
    /// that starts a cooldown was requested (Cancelled, Failed and Returned ones do not), and the available balance.
    /// </summary>
    private static readonly string StandingSql = $"""
        SELECT
            (SELECT "EmailConfirmed" FROM "AspNetUsers" WHERE "Id" = @merchantId),
            (SELECT "Status" FROM "MerchantProfiles" WHERE "MerchantId" = @merchantId),
            EXISTS (SELECT 1 FROM "Cashouts" WHERE "MerchantId" = @merchantId AND "Status" IN ({SqlList(Enum.GetValues<CashoutStatus>().Where(s => s.IsAwaitingSubmission()))})),
            (SELECT "CreatedAt" FROM "Cashouts" WHERE "MerchantId" = @merchantId AND "Status" NOT IN ({SqlList(CashoutStatuses.EndedWithoutPayout)})
                ORDER BY "CreatedAt" DESC LIMIT 1),
            (SELECT "Balance" FROM "LedgerAccounts" WHERE "Key" = @availableKey)
        """;

    private static async Task<Standing> ReadStandingAsync(PortalDbContext db, string merchantId, Currency currency, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = db.CreateCommand(StandingSql);
        command.AddParameter("merchantId", merchantId);
        command.AddParameter("availableKey", LedgerAccountKey.MerchantAvailable(merchantId, currency).ToString());
        await using var row = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        await row.ReadAsync(cancellationToken);
        var verified = !row.IsDBNull(0) && !row.IsDBNull(1)
            && MerchantStanding.IsVerified(row.GetBoolean(0), Enum.Parse<VerificationStatus>(row.GetString(1)));
        return new Standing(
            verified,
            row.GetBoolean(2),
            row.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)),
            row.IsDBNull(4) ? 0 : row.GetInt64(4));
    }

    private static string SqlList(IEnumerable<CashoutStatus> statuses) => string.Join(", ", statuses.Select(s => $"'{s}'"));

    private async Task<RequestCashoutOutcome> DeclineAsync(PortalDbContext db, RequestCashoutCommand command, CashoutDecline decline, CancellationToken cancellationToken)
    {
        db.DeclinedAttempts.Add(new DeclinedAttempt(command.MerchantId, command.Source, command.Method.ToApiName(), command.Amount, command.Currency.Code, decline, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return RequestCashoutOutcome.Declined(decline);
    }

    private static bool IsUniqueViolation(Exception ex) => DatabaseErrors.IsConstraintViolation(ex);
}
