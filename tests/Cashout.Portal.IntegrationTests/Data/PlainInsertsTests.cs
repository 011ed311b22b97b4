using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// <see cref="PlainInserts"/> writes a row exactly as EF Core's SaveChanges would (the same columns, the same value
/// conversions: money as minor units and currency code, times as UTC milliseconds, enums as names, the quote as JSON),
/// on both engines; only inside a transaction, and gone with it when it rolls back.
/// </summary>
public sealed class PlainInsertsTests : MoneyTest
{
    [Fact]
    public async Task Writes_every_column_of_a_transitions_rows_as_SaveChanges_writes_it()
    {
        await LinkPayoneerAsync();
        var cashout = await CompletedCashoutAsync(10_000);

        await AssertWrittenAlikeAsync(db => db.Cashouts.AsNoTracking().SingleAsync(c => c.Id == cashout.Id));
        await AssertWrittenAlikeAsync(db => db.CashoutEvents.AsNoTracking().Where(e => e.CashoutId == cashout.Id && e.Type == CashoutEventType.StatusChanged).OrderBy(e => e.Id).LastAsync());
        await AssertWrittenAlikeAsync(db => db.CashoutEvents.AsNoTracking().Where(e => e.CashoutId == cashout.Id && e.Type == CashoutEventType.EmailQueued).OrderBy(e => e.Id).LastAsync());
        await AssertWrittenAlikeAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Subject.StartsWith("Cashout")).OrderBy(m => m.Id).LastAsync());
        await AssertWrittenAlikeAsync(db => db.Set<LedgerTransactionRecord>().AsNoTracking().Where(t => t.CashoutId == cashout.Id).OrderBy(t => t.Id).LastAsync());
        await AssertWrittenAlikeAsync(db => db.Set<LedgerEntryRecord>().AsNoTracking().OrderBy(e => e.Id).LastAsync());
    }

    [Fact]
    public async Task Refuses_to_write_outside_a_transaction()
    {
        var before = await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Portal.WithDbAsync(async db =>
        {
            await db.InsertAsync(OutboxMessage.Create(new EmailContent("Test", "Subject", "<p>Body</p>", "Body"), "someone@example.com", Portal.Clock.GetUtcNow()), CancellationToken.None);
            return 0;
        }));

        Assert.Contains("inside the transaction", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Gives_the_generated_key_and_is_gone_when_its_transaction_rolls_back()
    {
        var before = await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync());

        var id = await Portal.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var message = OutboxMessage.Create(new EmailContent("Test", "Subject", "<p>Body</p>", "Body"), "someone@example.com", Portal.Clock.GetUtcNow());
            await db.InsertAsync(message, CancellationToken.None);
            Assert.True(await db.OutboxMessages.AnyAsync(m => m.Id == message.Id), "the row is visible inside its transaction");
            await transaction.RollbackAsync();
            return message.Id;
        });

        Assert.True(id > 0);
        Assert.Equal(before, await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    /// <summary>
    /// The same row loaded twice and written again, once by SaveChanges and once plainly, in one transaction rolled back
    /// afterwards (a ledger row written twice would break the ledger's invariants): the two rows differ only by their key.
    /// </summary>
    private Task AssertWrittenAlikeAsync<T>(Func<PortalDbContext, Task<T>> load)
        where T : class =>
        Portal.WithDbAsync(async db =>
        {
            var entityType = db.Model.FindEntityType(typeof(T))!;
            var table = entityType.GetTableName()!;
            var key = entityType.FindPrimaryKey()!.Properties.Single();
            var (byEfCore, plainly) = (await load(db), await load(db));
            key.FieldInfo!.SetValue(byEfCore, 0L);
            key.FieldInfo.SetValue(plainly, 0L);

            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Add(byEfCore);
            await db.SaveChangesAsync();
            await db.InsertAsync(plainly, CancellationToken.None);
            var expected = await RowAsync(db, table, key.GetColumnName(), (long)key.FieldInfo.GetValue(byEfCore)!);
            var actual = await RowAsync(db, table, key.GetColumnName(), (long)key.FieldInfo.GetValue(plainly)!);
            await transaction.RollbackAsync();

            Assert.NotEqual(expected[key.GetColumnName()], actual[key.GetColumnName()]);
            Assert.True(expected.Count > 3, $"{table} has its columns");
            Assert.Equal(expected.Where(c => c.Key != key.GetColumnName()), actual.Where(c => c.Key != key.GetColumnName()));
            return 0;
        });

    private static async Task<SortedDictionary<string, object?>> RowAsync(PortalDbContext db, string table, string key, long id)
    {
        await using var command = db.CreateCommand($"SELECT * FROM \"{table}\" WHERE \"{key}\" = @id");
        command.AddParameter("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{table} row {id} was written");
        var row = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }
}
