using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>
/// The app's write transactions on the SQLite file take turns in a queue (SqliteWriterQueue): each turn ends with its
/// transaction however it ends, and a writer that cannot have its turn in time fails as busy, as SQLite's own
/// handler would.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SqliteWriterQueueTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new PortalFactory().WithSetting("Database:BusyTimeoutSeconds", "20");

    private IDbContextFactory<PortalDbContext> Contexts => portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    public async Task InitializeAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE QueueProbe (Writer INTEGER NOT NULL)");
    }

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Many_writers_at_once_all_commit_without_a_busy_error()
    {
        await Task.WhenAll(Enumerable.Range(0, 64).Select(writer => Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var before = await CountAsync(db);
            await db.Database.ExecuteSqlAsync($"INSERT INTO QueueProbe (Writer) VALUES ({writer})");
            Assert.Equal(before + 1, await CountAsync(db));
            await transaction.CommitAsync();
        })));

        await using var check = await Contexts.CreateDbContextAsync();
        Assert.Equal(64, await CountAsync(check));
    }

    [Fact]
    public async Task A_writer_waits_for_the_turn_and_is_busy_when_it_does_not_come_within_its_limit()
    {
        await using var holder = await Contexts.CreateDbContextAsync();
        await using var held = await holder.Database.BeginTransactionAsync();

        using (SqliteBusyTimeout.Limit(1))
        {
            await using var waiter = await Contexts.CreateDbContextAsync();
            var busy = await Assert.ThrowsAsync<SqliteException>(() => waiter.Database.BeginTransactionAsync());
            Assert.True(SqliteBusyTimeout.IsBusy(busy));
        }

        await held.CommitAsync();
        await AssertTurnIsFreeAsync();
    }

    [Fact]
    public async Task The_next_writer_starts_when_the_holder_commits()
    {
        await using var holder = await Contexts.CreateDbContextAsync();
        var held = await holder.Database.BeginTransactionAsync();

        var next = Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var seen = await CountAsync(db);
            await transaction.CommitAsync();
            return seen;
        });

        await holder.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (1)");
        await held.CommitAsync();
        await held.DisposeAsync();

        Assert.Equal(1, await next); // it began after the commit, so it saw the row
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_or_rollback_ends_the_turn()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await using (await db.Database.BeginTransactionAsync())
            {
                await db.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (1)");
            }

            await AssertTurnIsFreeAsync();
        }

        await using var check = await Contexts.CreateDbContextAsync();
        Assert.Equal(0, await CountAsync(check));
    }

    [Fact]
    public async Task A_context_with_its_connection_open_begins_again_after_a_disposed_transaction_and_then_frees_the_turn()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            await using (await db.Database.BeginTransactionAsync())
            {
                // disposed without an end, the connection stays open
            }

            using (SqliteBusyTimeout.Limit(1))
            {
                await using var again = await db.Database.BeginTransactionAsync();
                await db.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (2)");
                await again.CommitAsync();
            }
        }

        await AssertTurnIsFreeAsync();
    }

    [Fact]
    public async Task A_transaction_that_read_and_returned_early_ends_the_turn_while_its_context_lives_on()
    {
        // A use case that reads, finds nothing to do and returns: no commit, no rollback, and EF Core keeps the
        // connection open; another context (the pool lends this one to nobody while it lives) gets the turn.
        await using var db = await Contexts.CreateDbContextAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            await db.Cashouts.SingleOrDefaultAsync(c => c.Id == 42);
        }

        await AssertTurnIsFreeAsync();
    }

    [Fact]
    public async Task A_rolled_back_transaction_ends_the_turn()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await transaction.RollbackAsync();
            await AssertTurnIsFreeAsync();
        }
    }

    [Fact]
    public async Task Each_turn_is_measured_from_when_it_is_had_until_its_transaction_ends()
    {
        using var turns = new WriteTurns(portal.Services.GetRequiredService<IMeterFactory>());
        await using var db = await Contexts.CreateDbContextAsync();

        var outer = Stopwatch.StartNew();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var inner = Stopwatch.StartNew();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (1)");
            await CountAsync(db);
            inner.Stop();
            await transaction.CommitAsync();
            outer.Stop();

            Assert.Contains(turns.Held, ms => ms >= inner.Elapsed.TotalMilliseconds && ms <= outer.Elapsed.TotalMilliseconds);
            Assert.Contains(turns.Waited, ms => ms >= 0 && ms <= outer.Elapsed.TotalMilliseconds);
        }

        var heldBefore = turns.Held.Count;
        await using (await db.Database.BeginTransactionAsync())
        {
            // disposed without an end: the turn is measured as it ends all the same
        }

        Assert.Equal(heldBefore + 1, turns.Held.Count);
        Assert.Equal(turns.Held.Sum(), turns.Busy.Sum(), 6); // the busy total adds up every turn held
    }

    [Fact]
    public async Task Writers_that_queue_share_a_commit_and_each_commit_returns_once_its_rows_are_written()
    {
        using var turns = new WriteTurns(portal.Services.GetRequiredService<IMeterFactory>());
        await using var holder = await Contexts.CreateDbContextAsync();
        var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (0)");

        var writers = Enumerable.Range(1, 8).Select(writer => Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"INSERT INTO QueueProbe (Writer) VALUES ({writer})");
            switch (writer)
            {
                case 3:
                    await transaction.RollbackAsync();
                    return;
                case 5:
                    return; // disposed without an end
            }

            await transaction.CommitAsync();
            Assert.True(await SeenOutsideAsync(writer), $"writer {writer}'s row is not readable when its commit returned");
        })).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(Waiting() >= 8), "the eight writers wait for the turn");
        await held.CommitAsync();
        await held.DisposeAsync();
        Assert.True(await SeenOutsideAsync(0), "the first writer's row is not readable when its commit returned");
        await Task.WhenAll(writers);

        await using var check = await Contexts.CreateDbContextAsync();
        Assert.Equal([0, 1, 2, 4, 6, 7, 8], await check.Database.SqlQueryRaw<int>("SELECT Writer AS Value FROM QueueProbe ORDER BY Writer").ToListAsync());
        Assert.InRange(turns.SharedCommits, 1, 3); // nine transactions, the waiting ones committed together
        await AssertTurnIsFreeAsync();

        int Waiting() => portal.Services.GetRequiredService<SqliteWriterQueue>().Waiting;
    }

    [Fact]
    public async Task Writes_outside_a_transaction_and_the_sweeps_claims_wait_for_the_turn_in_the_queue_not_in_SQLites_busy_handler()
    {
        var queue = portal.Services.GetRequiredService<SqliteWriterQueue>();
        await using var holder = await Contexts.CreateDbContextAsync();
        var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (0)"); // SQLite's write lock is taken

        using var scope = portal.Services.CreateScope();
        var writes = new List<Task>
        {
            Task.Run(async () =>
            {
                await using var db = await Contexts.CreateDbContextAsync();
                await db.WriteAsync(() => db.Database.ExecuteSqlAsync($"INSERT INTO QueueProbe (Writer) VALUES (1)"), CancellationToken.None);
            }),
            Task.Run(() => scope.ServiceProvider.GetRequiredService<SendDueEmails>().HandleAsync()),
            Task.Run(() => scope.ServiceProvider.GetRequiredService<WebhookDeliveryJob>().RunAsync(CancellationToken.None)),
        };

        await Eventually.TrueAsync(() => Task.FromResult(queue.Waiting >= 3), "the plain write and both sweeps' claims wait for the turn",
            state: () => $"{queue.Waiting} waiting");
        await held.CommitAsync();
        await held.DisposeAsync();
        await Task.WhenAll(writes);

        Assert.True(await SeenOutsideAsync(1));
        await AssertTurnIsFreeAsync();
    }

    [Fact]
    public async Task When_SQLite_rolls_the_shared_transaction_back_every_writer_in_it_gets_an_error_and_nothing_is_written()
    {
        await using var holder = await Contexts.CreateDbContextAsync();
        var held = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (0)");

        // The next writer ends the shared transaction behind everyone's back, as SQLite does after an interrupted or
        // failed statement.
        var rogue = Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (1)");
            await db.Database.ExecuteSqlRawAsync("ROLLBACK");
            await transaction.CommitAsync();
        });

        await Eventually.TrueAsync(() => Task.FromResult(portal.Services.GetRequiredService<SqliteWriterQueue>().Waiting >= 1), "the second writer waits for the turn");
        var holderFailed = await Record.ExceptionAsync(() => held.CommitAsync());
        var rogueFailed = await Record.ExceptionAsync(() => rogue);
        await held.DisposeAsync();

        Assert.NotNull(holderFailed);
        Assert.NotNull(rogueFailed);
        await using var check = await Contexts.CreateDbContextAsync();
        Assert.Equal(0, await CountAsync(check));
        await AssertTurnIsFreeAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO QueueProbe (Writer) VALUES (2)");
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await CountAsync(check)); // the writer after them writes as usual
    }

    private async Task<bool> SeenOutsideAsync(int writer)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM QueueProbe WHERE Writer = {writer}").SingleAsync() == 1;
    }

    private async Task AssertTurnIsFreeAsync()
    {
        using var limit = SqliteBusyTimeout.Limit(1);
        await using var db = await Contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await transaction.CommitAsync();
    }

    private static Task<int> CountAsync(PortalDbContext db) =>
        db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM QueueProbe").SingleAsync();
}
