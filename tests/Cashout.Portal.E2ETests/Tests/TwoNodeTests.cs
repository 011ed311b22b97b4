using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Cashout.Portal.Email;
using Cashout.Portal.Ledger;
using Cashout.Portal.PaymentMethods;
using Cashout.Portal.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// Two portal nodes on one PostgreSQL database behind nginx (<see cref="TwoNodeFixture"/>): the money rules hold with
/// writers on both, a change on one reaches the pages open on the other, the recurring jobs run once across them and a
/// sign-in on one is honoured by the other. The node killed mid-pipeline is <see cref="NodeFailureTests"/>.
/// </summary>
[Trait("Database", "PostgreSqlOnly")]
public sealed class TwoNodeTests(TwoNodeFixture nodes, ITestOutputHelper output) : IClassFixture<TwoNodeFixture>
{
    private TwoNodeFixture Nodes { get; } = nodes;

    [Fact]
    public async Task Two_hundred_simultaneous_requests_of_one_merchant_spread_over_both_nodes_create_one_cashout()
    {
        var merchantId = await Nodes.DemoMerchantWithPayoneerAsync("payment@example.com");
        using var http = new HttpClient { BaseAddress = Nodes.Balancer.BaseUrl }; // no cookies: nginx spreads the requests

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "cashout/process")
            {
                Content = new StringContent("""{"amount":100000,"method":"payoneer","email":"payment@example.com"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DemoSeed.ApiLogin}:{DemoSeed.ApiPass}")));
            using var response = await http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));

        output.WriteLine(string.Join("\n", answers.GroupBy(a => a.StatusCode).Select(g => $"{(int)g.Key}: {g.Count()}")));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        // The others are declined by the rule, or, when they queued on the merchant's lock longer than an API request
        // waits (a loaded machine), told to come back: 503 with Retry-After, nothing written. Never an error.
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a =>
        {
            Assert.True(a.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable, $"{(int)a.StatusCode}: {a.Body}");
            Assert.Contains(a.StatusCode == HttpStatusCode.Conflict ? "Pending cashout exists" : "busy", a.Body, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(1, await Nodes.WithDbAsync(db => db.Cashouts.CountAsync(c => c.MerchantId == merchantId)));
        Assert.Equal(
            new[] { Nodes.NodeA.BaseUrl.Authority, Nodes.NodeB.BaseUrl.Authority }.Order(),
            Nodes.Balancer.Upstreams().Where(u => u.Contains(':', StringComparison.Ordinal)).Distinct().Order());
        Assert.Empty(await Nodes.VerifyLedgerAsync());
    }

    [Fact]
    public async Task Admins_hold_on_node_A_appears_live_on_the_merchants_page_open_on_node_B()
    {
        var (merchant, cashoutId) = await Nodes.Data.RequestCashoutForNewMerchantAsync(10_000, reviewed: false);

        await using var merchantSession = await Nodes.NewSessionAsync(nameof(Admins_hold_on_node_A_appears_live_on_the_merchants_page_open_on_node_B), output, Nodes.NodeB.BaseUrl);
        await merchantSession.RunAsync(async page =>
        {
            await new LoginPage(page).GotoAsync();
            await new LoginPage(page).SignInAsync(merchant, DemoUsers.Password);
            await new ShellPage(page).ExpectSignedInAsAsync(merchant);
            var details = new CashoutDetailsPage(page);
            await details.GotoAsync(cashoutId);
            await Assertions.Expect(details.Status).ToHaveTextAsync("Pending");
            await page.EvaluateAsync("() => window.__sameDocument = true");
        });

        await using var adminSession = await Nodes.NewSessionAsync(nameof(Admins_hold_on_node_A_appears_live_on_the_merchants_page_open_on_node_B) + "-admin", output, Nodes.NodeA.BaseUrl);
        await adminSession.RunAsync(async page =>
        {
            await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Admin);
            var cashouts = new AdminCashoutsPage(page);
            await cashouts.GotoAsync();
            await cashouts.WithReasonAsync("Hold", cashoutId, "Checking the payee on node A", "Put on hold");
            await Assertions.Expect(page.GetByText($"Cashout #{cashoutId} is on hold")).ToBeVisibleAsync();
        });

        await merchantSession.RunAsync(async page =>
        {
            var details = new CashoutDetailsPage(page);
            await Assertions.Expect(details.Status).ToHaveTextAsync("ON HOLD");
            await Assertions.Expect(details.HoldBanner).ToContainTextAsync("Checking the payee on node A");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page on node B was reloaded.");
            await merchantSession.ScreenshotAsync("node-b-sees-hold-from-node-a");
        });
    }

    [Fact]
    public async Task A_sign_in_through_node_A_is_honoured_by_node_B()
    {
        var (merchant, _) = await Nodes.Data.CreateReadyMerchantAsync(10_000);
        await using var session = await Nodes.NewSessionAsync(nameof(A_sign_in_through_node_A_is_honoured_by_node_B), output, Nodes.NodeA.BaseUrl);
        await session.RunAsync(async page =>
        {
            var login = new LoginPage(page);
            await login.GotoAsync();
            await login.SignInAsync(merchant, DemoUsers.Password);
            await new ShellPage(page).ExpectSignedInAsAsync(merchant);

            // The browser sends the same cookie to node B (cookies do not mind the port): its keys open it.
            await page.GotoAsync(new Uri(Nodes.NodeB.BaseUrl, "cashouts").ToString());
            await new ShellPage(page).ExpectSignedInAsAsync(merchant);
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(Nodes.NodeB.BaseUrl, "cashouts").ToString());
        });
    }

    [Fact]
    public async Task Each_recurring_sweep_runs_once_per_interval_across_both_nodes()
    {
        var since = DateTime.UtcNow;
        const int runs = 5;

        var created = await Eventually(
            async () =>
            {
                var times = await Nodes.RecurringRunsAsync("settle", since);
                return times.Count >= runs ? times : null;
            },
            $"{runs} runs of the settle sweep", TimeSpan.FromSeconds(60));

        // Both nodes' schedulers see every occurrence; the one that takes Hangfire's lock in the database triggers it.
        // Once per interval: the k-th run after a run comes k intervals later, give or take how late a loaded scheduler
        // triggers an occurrence (a run 1 s late, the next on time: 1 s apart). Lateness stays under one interval, so a
        // second run of any occurrence still falls a whole interval short somewhere.
        var interval = TimeSpan.FromSeconds(TwoNodeFixture.SweepSeconds);
        var lateness = interval * 0.75;
        output.WriteLine(string.Join(", ", created.Zip(created.Skip(1), (a, b) => $"{(b - a).TotalSeconds:0.00} s")));
        for (var first = 0; first < created.Count; first++)
        {
            for (var later = first + 1; later < created.Count; later++)
            {
                var apart = created[later] - created[first];
                Assert.True(apart >= interval * (later - first) - lateness, $"runs {first + 1} and {later + 1} only {apart.TotalSeconds:0.00} s apart");
            }
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what, TimeSpan timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}.");
            }

            await Task.Delay(250);
        }
    }
}

/// <summary>A node killed with SIGKILL while cashouts are in flight: the other finishes them, once each, every email sent.</summary>
[Trait("Database", "PostgreSqlOnly")]
public sealed class NodeFailureTests(TwoNodeFixture nodes, ITestOutputHelper output) : IClassFixture<TwoNodeFixture>
{
    [Fact]
    public async Task Node_B_finishes_what_node_A_had_in_flight_with_one_payout_each_and_every_email_sent()
    {
        var cashouts = new List<(string Email, long Id)>();
        for (var i = 0; i < 20; i++)
        {
            cashouts.Add(await nodes.Data.RequestCashoutForNewMerchantAsync(10_000, reviewed: false));
        }

        var ids = cashouts.Select(c => c.Id).ToList();
        await nodes.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"""UPDATE "Cashouts" SET "CreatedAt" = "CreatedAt" - {(long)TimeSpan.FromHours(2).TotalMilliseconds} WHERE "Id" = ANY({ids.ToArray()})"""));
        await WaitAsync(async () => await nodes.WithDbAsync(db => db.Cashouts.CountAsync(c => ids.Contains(c.Id) && c.Status != CashoutStatus.Pending)) > 0,
            "the first cashouts leave Pending");

        await nodes.NodeA.KillAsync();
        output.WriteLine($"Node A killed with {await nodes.WithDbAsync(db => db.Cashouts.CountAsync(c => ids.Contains(c.Id) && c.Status == CashoutStatus.Completed))} of {ids.Count} Completed");

        await WaitAsync(async () => await nodes.WithDbAsync(db => db.Cashouts.CountAsync(c => ids.Contains(c.Id) && c.Status == CashoutStatus.Completed)) == ids.Count,
            "every cashout Completed by node B", TimeSpan.FromSeconds(180));
        var emails = cashouts.Select(c => c.Email).ToList();
        await WaitAsync(async () => await nodes.WithDbAsync(db => db.OutboxMessages.CountAsync(m => emails.Contains(m.To) && m.Status != OutboxStatus.Sent)) == 0,
            "every email to these merchants sent", TimeSpan.FromSeconds(120));

        // requested, processing, completed: one email per stage, none lost, none twice.
        Assert.All(emails, email => Assert.Equal(3, nodes.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == email && m.Kind.StartsWith("cashout"))).Result));
        await using var sandbox = new SandboxDbContext(new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite($"Data Source={nodes.SandboxDatabasePath}").Options);
        foreach (var id in ids)
        {
            Assert.Equal(1, await sandbox.Payouts.CountAsync(p => p.Reference == Cashout.Portal.Providers.PayoutReference.For(id)));
        }

        Assert.Empty(await nodes.VerifyLedgerAsync());
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not in time: {what}.");
            }

            await Task.Delay(250);
        }
    }
}
