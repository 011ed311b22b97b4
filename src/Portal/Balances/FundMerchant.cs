using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Balances;

/// <param name="SettlesAt">When the sale settles; null credits available at once.</param>
public sealed record FundMerchantCommand(string MerchantId, long Amount, Currency Currency, DateTimeOffset? SettlesAt, string Description);

/// <summary>
/// Credits a sale to a merchant (admins from the back office, the demo seed): to pending with a settlement
/// date, or straight to available. Bad input gets a clear message and writes nothing. An admin's funding is
/// audited (balances before and after) in the same transaction as the posting.
/// </summary>
public sealed class FundMerchant(IDbContextFactory<PortalDbContext> dbFactory, LedgerWriter ledger, AuditLog audit, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(Caller caller, FundMerchantCommand command, CancellationToken cancellationToken = default)
    {
        if (!(caller.IsAdmin || caller.IsSystem))
        {
            return CommandResult.Forbidden;
        }

        var amount = Money.Of(command.Amount, command.Currency);
        if (!amount.IsValidRequestAmount)
        {
            return CommandResult.Refused("invalid_amount", $"The amount must be between 1 and {Money.MaximumMinorUnits} {command.Currency.MinorUnitName}.");
        }

        var description = command.Description.Trim();
        if (description.Length is 0 or > 200)
        {
            return CommandResult.Refused("invalid_description", "Describe the sale in 1 to 200 characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var merchantRoleId = db.Roles.Where(r => r.Name == PortalRoles.Merchant).Select(r => r.Id);
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == command.MerchantId && merchantRoleId.Contains(ur.RoleId), cancellationToken))
        {
            return CommandResult.NotFound;
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockMerchantAsync(command.MerchantId, cancellationToken);
        var before = await BalancesAsync(db, command.MerchantId, command.Currency, cancellationToken);
        var toPending = command.SettlesAt is { } settles && settles > now;
        if (caller.IsAdmin)
        {
            var email = await db.Users.Where(u => u.Id == command.MerchantId).Select(u => u.Email).SingleAsync(cancellationToken);
            var after = toPending ? before with { Pending = before.Pending + amount.MinorUnits } : before with { Available = before.Available + amount.MinorUnits };
            await audit.AppendAsync(db, AuditRecord.AdminAction(
                caller,
                AuditActions.MerchantFunded,
                $"Credited {amount} to the {(toPending ? "pending" : "available")} balance of {email}",
                "merchant",
                command.MerchantId,
                before,
                new { after.Currency, after.Available, after.Pending, amount = amount.MinorUnits, settlesAt = toPending ? command.SettlesAt : null, description }), cancellationToken);
        }

        if (command.SettlesAt is { } settlesAt && toPending)
        {
            await ledger.PostAsync(db, LedgerPostings.FundToPending(command.MerchantId, amount, description), command.MerchantId, cashoutId: null, cancellationToken);
            db.PendingFundings.Add(new PendingFunding(command.MerchantId, amount, settlesAt, description, now));
        }
        else
        {
            await ledger.PostAsync(db, LedgerPostings.FundToAvailable(command.MerchantId, amount, description), command.MerchantId, cashoutId: null, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CommandResult.Ok;
    }

    private sealed record FundedBalances(string Currency, long Available, long Pending);

    private static async Task<FundedBalances> BalancesAsync(PortalDbContext db, string merchantId, Currency currency, CancellationToken cancellationToken)
    {
        var available = LedgerAccountKey.MerchantAvailable(merchantId, currency).ToString();
        var pending = LedgerAccountKey.MerchantPending(merchantId, currency).ToString();
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => a.Key == available || a.Key == pending).ToDictionaryAsync(a => a.Key, a => a.Balance, cancellationToken);
        return new FundedBalances(currency.Code, balances.GetValueOrDefault(available), balances.GetValueOrDefault(pending));
    }
}
