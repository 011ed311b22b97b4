using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// On PostgreSQL, every writer of a merchant's money takes the merchant's lock before its first read
/// (docs/decisions/031-merchant-writer-locks.md): while another transaction holds it, each is seen waiting on it in
/// pg_locks, and finishes once it is released. A writer that forgot the lock would finish at once and fail its case.
/// (On SQLite, BEGIN IMMEDIATE is the lock: ConcurrencyTests.)
/// </summary>
[Trait("Database", "PostgreSqlOnly")]
public sealed class WriterLockTests : MoneyTest
{
    [Theory]
    [InlineData("request")]
    [InlineData("hold")]
    [InlineData("release")]
    [InlineData("cancel")]
    [InlineData("provider report")]
    [InlineData("unlink")]
    public async Task Writer_waits_for_the_merchants_lock_while_another_transaction_holds_it(string writer)
    {
        await LinkPayoneerAsync();
        var cashout = writer is "request" or "unlink" ? null : await RequestAsync(100_000);
        if (writer == "release")
        {
            AssertOk(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout!.Id, "Checking the payee")));
        }

        if (writer == "provider report")
        {
            AssertOk(await SubmitAsync(cashout!.Id));
        }

        await using var holder = Portal.Database.CreateBareContext();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        await holder.LockMerchantAsync(MerchantId, CancellationToken.None);

        var write = writer switch
        {
            "request" => TryRequestAsync(100_000).ContinueWith(t => t.Result.Cashout is not null, TaskScheduler.Default),
            "hold" => Ok(Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout!.Id, "Checking the payee"))),
            "release" => Ok(Use<ReleaseCashout, CommandResult>(r => r.HandleAsync(Admin, cashout!.Id))),
            "cancel" => Ok(Use<CancelCashout, CommandResult>(c => c.HandleAsync(Merchant, cashout!.Id, null))),
            "provider report" => Use<ApplyProviderReport, ReportOutcome>(a => a.HandleAsync(
                new ProviderReport(PayoutMethod.Payoneer, cashout!.Id, "completed", "webhook", $"PO-{cashout.Id}", WebhookId: $"wh-{cashout.Id}")))
                .ContinueWith(t => t.Result == ReportOutcome.Applied, TaskScheduler.Default),
            "unlink" => Ok(Use<UnlinkPaymentMethod, CommandResult>(u => u.HandleAsync(Merchant, MerchantId, PayoutMethod.Payoneer))),
            _ => throw new ArgumentOutOfRangeException(nameof(writer)),
        };

        await Eventually.TrueAsync(async () => await WaitingOnAdvisoryLocksAsync() > 0, $"the {writer} waits for the merchant's lock");
        Assert.False(write.IsCompleted, $"the {writer} went ahead while the merchant's lock was held");

        await transaction.CommitAsync();
        Assert.True(await write.WaitAsync(TimeSpan.FromSeconds(30)), $"the {writer} applied once the lock was released");
        Assert.Equal(0, await WaitingOnAdvisoryLocksAsync());
    }

    private static async Task<bool> Ok(Task<CommandResult> result) => (await result).Succeeded;

    private static void AssertOk(CommandResult result) => Assert.True(result.Succeeded, result.ToString());

    private Task<int> WaitingOnAdvisoryLocksAsync() => Portal.WithDbAsync(db => db.Database.SqlQuery<int>($"""
        SELECT CAST(count(*) AS integer) AS "Value" FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """).SingleAsync());
}
