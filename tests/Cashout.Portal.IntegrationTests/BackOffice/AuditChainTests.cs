using Cashout.Domain.Monetary;
using Cashout.Portal.Audit;
using Cashout.Portal.Balances;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.BackOffice;

/// <summary>The audit log is append-only (triggers) and hash-chained: tampering is found at the entry where it happened.</summary>
public sealed class AuditChainTests : MoneyTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Five admin actions: entries #1 to #5.
        for (var sale = 1; sale <= 5; sale++)
        {
            AssertSucceeded(await Use<FundMerchant, CommandResult>(f => f.HandleAsync(Admin, new FundMerchantCommand(MerchantId, sale * 100, Currency.USD, null, $"Sale {sale}"))));
        }
    }

    [Fact]
    public async Task Chain_is_intact_when_nobody_touched_the_entries()
    {
        var report = await VerifyAsync();

        Assert.True(report.IsIntact, report.Problem);
        Assert.Equal(5, report.EntriesChecked);
        var entries = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Id));
        Assert.Equal("", entries[0].PreviousHash);
        Assert.All(entries.Skip(1), (e, i) => Assert.Equal(entries[i].Hash, e.PreviousHash));
        Assert.Equal(entries[^1].Hash, report.HeadHash);
    }

    [Theory]
    [InlineData("""UPDATE "AuditEntries" SET "Summary" = 'Credited $0.01' WHERE "Id" = 3""")]
    [InlineData("""DELETE FROM "AuditEntries" WHERE "Id" = 3""")]
    public async Task Database_refuses_to_change_or_remove_an_entry_while_the_triggers_are_there(string sql)
    {
        var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ExecuteAsync(sql));

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("""UPDATE "AuditEntries" SET "Summary" = 'Credited $0.01 to someone else' WHERE "Id" = 3""", 3, 2, "was altered")]
    [InlineData("""UPDATE "AuditEntries" SET "IpAddress" = '10.0.0.1' WHERE "Id" = 2""", 2, 1, "was altered")]
    [InlineData("""UPDATE "AuditEntries" SET "After" = replace("After", '500', '50000') WHERE "Id" = 5""", 5, 4, "was altered")]
    [InlineData("""DELETE FROM "AuditEntries" WHERE "Id" = 3""", 4, 2, "missing")]
    public async Task Chain_check_finds_the_first_broken_entry_when_a_row_was_altered_or_removed_behind_the_triggers(string tampering, long brokenAt, long intactBefore, string problem)
    {
        await LiftAppendOnlyAsync();
        await ExecuteAsync(tampering);

        var report = await VerifyAsync();

        Assert.False(report.IsIntact);
        Assert.Equal(brokenAt, report.BrokenAtId);
        Assert.Equal(intactBefore, report.EntriesChecked);
        Assert.Contains(problem, report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_check_finds_a_rewritten_entry_at_the_next_one_when_its_hash_was_recomputed_too()
    {
        var third = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == 3));
        await LiftAppendOnlyAsync();
        // A forger who knows the scheme recomputes the hash of the entry it changed; the next entry still names the old hash.
        await ExecuteAsync("""UPDATE "AuditEntries" SET "Summary" = 'nothing happened', "Hash" = 'aaaa' WHERE "Id" = 3""");
        var forged = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == 3));
        await ExecuteAsync($"""UPDATE "AuditEntries" SET "Hash" = '{AuditChain.HashOf(forged)}' WHERE "Id" = 3""");

        var report = await VerifyAsync();

        Assert.NotEqual(third.Hash, AuditChain.HashOf(forged));
        Assert.Equal(4, report.BrokenAtId);
        Assert.Contains("does not link", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appending_outside_a_transaction_is_refused_so_the_chain_cannot_fork()
    {
        var log = new AuditLog(Portal.Services.GetRequiredService<IDbContextFactory<Cashout.Portal.Data.PortalDbContext>>(), Portal.Clock);
        await using var db = await Portal.Services.GetRequiredService<IDbContextFactory<Cashout.Portal.Data.PortalDbContext>>().CreateDbContextAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(db, AuditRecord.AdminAction(Admin, AuditActions.MerchantFunded, "x", "merchant", MerchantId, null, null), default));
    }

    private Task<AuditChainReport> VerifyAsync() => Use<VerifyAuditChain, AuditChainReport>(async v => (await v.HandleAsync(Admin))!);

    /// <summary>Only a test lifts the append-only triggers, to tamper behind them.</summary>
    private async Task LiftAppendOnlyAsync()
    {
        await using var db = Portal.Database.CreateBareContext();
        await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
            ? """DROP TRIGGER "AuditEntries_AppendOnly_Update"; DROP TRIGGER "AuditEntries_AppendOnly_Delete";"""
            : """DROP TRIGGER "AuditEntries_AppendOnly" ON "AuditEntries";""");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = Portal.Database.CreateBareContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
