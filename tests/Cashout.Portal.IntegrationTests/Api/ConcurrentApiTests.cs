using System.Collections.Concurrent;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// Bursts of simultaneous requests over real HTTP, writers and readers of the three families mixed, on pooled
/// SQLite connections (docs/decisions/014-sqlite-pooling.md). Each burst starts on an emptied pool, as after a
/// quiet spell, so the pool grows during the burst: that is when it looks for leaked connections, the path on
/// which Microsoft.Data.Sqlite 9 could lend one connection to two requests at once.
/// </summary>
public sealed class ConcurrentApiTests : ApiTest
{
    private const int Bursts = 10;
    private const int RequestsPerBurst = 48;
    private const long ToBalance = 100;

    /// <summary>The platform's configured bank fee, charged on top of each cashout to the balance.</summary>
    private const long BankFee = 50;

    private enum Kind
    {
        CreateC,
        HoldOrReleaseC,
        CashoutToBalanceB,
        ProcessA,
        CancelC,
        BalanceA,
        BalanceAccountB,
        StatusC,
    }

    [Fact]
    public async Task Every_request_gets_its_answer_and_money_moves_once_when_bursts_of_writers_and_readers_grow_the_connection_pool()
    {
        await LinkPayoneerAsync();
        var connectionString = await Portal.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var answeredToBalance = 0;
        var abandonedToBalance = 0;

        for (var burst = 0; burst < Bursts; burst++)
        {
            if (TestDatabase.IsPostgreSql)
            {
                using var connection = new Npgsql.NpgsqlConnection(connectionString);
                Npgsql.NpgsqlConnection.ClearPool(connection);
            }
            else
            {
                using var connection = new SqliteConnection(connectionString);
                SqliteConnection.ClearPool(connection);
            }

            var externalId = $"burst-{burst}";
            var answers = new ConcurrentBag<(Kind Kind, int Status)>();
            var requests = Enumerable.Range(0, RequestsPerBurst).Select(i => Task.Run(async () =>
            {
                var kind = (Kind)(i % 8);
                // Some readers and family-B writers are given up by their client while the server works on them.
                var abandoned = i / 8 % 3 == 2 && kind is Kind.CashoutToBalanceB or Kind.BalanceA or Kind.BalanceAccountB;
                using var client = new CancellationTokenSource();
                if (abandoned)
                {
                    client.CancelAfter(TimeSpan.FromMilliseconds(1 + (i % 7)));
                }

                try
                {
                    using var response = await SendAsync(kind, $"{burst}-{i}", externalId, hold: i / 8 % 2 == 0, client.Token);
                    answers.Add((kind, (int)response.StatusCode));
                }
                catch (OperationCanceledException) when (abandoned)
                {
                    if (kind == Kind.CashoutToBalanceB)
                    {
                        Interlocked.Increment(ref abandonedToBalance);
                    }
                }
            }));
            var verified = Task.Run(VerifyLedgerAsync);

            await Task.WhenAll(requests);
            var unexpected = answers.Where(a => !Expected(a.Kind).Contains(a.Status)).GroupBy(a => a).Select(g => $"{g.Key.Kind} {g.Key.Status} x{g.Count()}");
            Assert.True(!unexpected.Any(), $"Unexpected answers in burst {burst}: " + string.Join(", ", unexpected));
            Assert.Single(answers, a => a is (Kind.CreateC, 200));
            answeredToBalance += answers.Count(a => a.Kind == Kind.CashoutToBalanceB);
            Assert.Empty(await verified);
            // The burst's cashout ends Cancelled, so the next burst may create one: a merchant cancels only a Pending
            // cashout, so its own hold is released first (400: it was not on hold, or a cancel in the burst was first).
            using var released = await FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { external_id = externalId, status = "PENDING" }));
            using var cancelled = await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { external_id = externalId }));
            Assert.True((int)released.StatusCode is 200 or 400, $"Releasing {externalId}: {(int)released.StatusCode}");
            Assert.True((int)cancelled.StatusCode is 200 or 400, $"Cancelling {externalId}: {(int)cancelled.StatusCode}");
            Assert.Equal(CashoutStatus.Cancelled, (await CashoutByExternalIdAsync(externalId)).Status);
        }

        var cashouts = await Portal.WithDbAsync(db => db.Cashouts.OrderBy(c => c.Id).Select(c => c.ExternalId).ToListAsync());
        Assert.Equal(Enumerable.Range(0, Bursts).Select(b => $"burst-{b}"), cashouts);

        // An answered cashout to the balance moved its amount once; an abandoned one once or not at all.
        var (movedToBalance, balances) = await MovedToBalanceAndBalancesAsync();
        Assert.InRange(movedToBalance, answeredToBalance, answeredToBalance + abandonedToBalance);
        Assert.Equal(new UsdBalances(MerchantAvailable + (movedToBalance * ToBalance), MerchantPending - (movedToBalance * (ToBalance + BankFee)), 0), balances);
    }

    /// <summary>Read in one transaction: an abandoned request may still be committing on the server.</summary>
    private Task<(int Moved, UsdBalances Balances)> MovedToBalanceAndBalancesAsync() => Portal.WithDbAsync(async db =>
    {
        await using var together = await db.Database.BeginTransactionAsync();
        var moved = await db.LedgerTransactions.CountAsync(t => t.Kind == LedgerTransactionKind.CashoutToBalance);
        var usd = await db.LedgerAccounts.Where(a => a.MerchantId == MerchantId && a.Currency == "USD").ToDictionaryAsync(a => a.Kind, a => a.Balance);
        return (moved, new UsdBalances(usd[LedgerAccountKind.MerchantAvailable], usd[LedgerAccountKind.MerchantPending], usd.GetValueOrDefault(LedgerAccountKind.MerchantReserved)));
    });

    private Task<MerchantCashout> CashoutByExternalIdAsync(string externalId) =>
        Portal.WithDbAsync(db => db.Cashouts.AsNoTracking().SingleAsync(c => c.ExternalId == externalId));

    private Task<HttpResponseMessage> SendAsync(Kind kind, string key, string externalId, bool hold, CancellationToken cancellationToken) => kind switch
    {
        Kind.CreateC => FamilyCAsync(HttpMethod.Post, "/v3/cashout", CBody(new { external_id = externalId, amount = 10_000, method = "payoneer" }), idempotencyKey: $"create-{key}", cancellationToken: cancellationToken),
        Kind.HoldOrReleaseC => FamilyCAsync(HttpMethod.Put, "/v3/cashout/status", CBody(new { external_id = externalId, status = hold ? "ON_HOLD" : "PENDING" }), cancellationToken: cancellationToken),
        Kind.CashoutToBalanceB => FamilyBAsync(HttpMethod.Post, "/cashouts", new
        {
            instructingBalanceAccountId = DemoSeed.BalanceAccountId,
            amount = new { value = ToBalance, currency = "USD" },
        }, idempotencyKey: $"balance-{key}", cancellationToken: cancellationToken),
        // More than the balance: declined, and the decline recorded, as insufficient or as pending cashout exists.
        Kind.ProcessA => FamilyAAsync(HttpMethod.Post, "/cashout/process", new { amount = 5_000_000, method = "payoneer" }, idempotencyKey: $"process-{key}", cancellationToken: cancellationToken),
        Kind.CancelC => FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { external_id = externalId }), idempotencyKey: $"cancel-{key}", cancellationToken: cancellationToken),
        Kind.BalanceA => FamilyAAsync(HttpMethod.Get, "/cashout/balance", cancellationToken: cancellationToken),
        Kind.BalanceAccountB => FamilyBAsync(HttpMethod.Get, $"/balanceAccounts/{DemoSeed.BalanceAccountId}", cancellationToken: cancellationToken),
        _ => FamilyCAsync(HttpMethod.Post, "/v3/cashout/status", CBody(new { external_id = externalId }), cancellationToken: cancellationToken),
    };

    /// <summary>What each kind of request may answer in a burst; an internal error (500) never.</summary>
    private static int[] Expected(Kind kind) => kind switch
    {
        Kind.CreateC => [200, 400],
        Kind.HoldOrReleaseC or Kind.CancelC => [200, 400, 412],
        Kind.StatusC => [200, 412],
        Kind.ProcessA => [409, 422],
        _ => [200],
    };
}
