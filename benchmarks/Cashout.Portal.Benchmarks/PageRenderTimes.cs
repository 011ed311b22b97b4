using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Cashouts.Pages;
using Cashout.Portal.Common;
using Cashout.Portal.Components.Pages;
using Cashout.Portal.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// `--pages`: the server's render of the merchant's dashboard, cashout history and a cashout's details as the history
/// grows (DESIGN.md section 7: flat, at most 1.2x from small to large, p95 at most 50 ms). Each page is rendered the
/// way the server prerenders it (HtmlRenderer, the app's own services and SQLite file, a signed-in merchant); the
/// history page adds the first-page query its grid sends once interactive. Small: 1,000 cashouts; large: 100,000
/// cashouts and 1,000,000 ledger entries (100,000 of them the merchant's). Reports p50/p95 and bytes allocated per view.
/// </summary>
public static class PageRenderTimes
{
    private const int Warmup = 20;
    private const int Views = 200;

    public static async Task RunAsync()
    {
        Console.WriteLine("page,size,p50_ms,p95_ms,allocated_kb_per_view");
        foreach (var (size, cashouts, ledgerEntries) in new[] { ("small", 1_000, 0), ("large", 100_000, 1_000_000) })
        {
            await using var portal = await BenchmarkPortal.StartAsync();
            // The ledger first (LedgerFill numbers its rows from 1), for the merchant BenchmarkMerchants creates next.
            const string merchantId = "pages-00000";
            if (ledgerEntries > 0)
            {
                await LedgerFill.FillAsync(portal.DatabasePath, merchantId, ledgerEntries);
            }

            Check(merchantId == (await BenchmarkMerchants.CreateAsync(portal, "pages", 1, Money.Of(10_000_000, Currency.USD)))[0]);
            var detailsId = await SeedHistoryAsync(portal, merchantId, cashouts);

            await portal.CheckpointAsync();
            var merchant = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, merchantId), new Claim(ClaimTypes.Name, $"{merchantId}@cashout.test"), new Claim(ClaimTypes.Role, PortalRoles.Merchant)],
                "benchmark"));
            var caller = Caller.FromPrincipal(merchant);

            // The floor: a page with no data (the not-found page), through the same scope, renderer and authentication.
            await ReportAsync("floor (not-found page)", size, () => RenderAsync<NotFound>(portal, merchant, []));
            await ReportAsync("dashboard", size, () => RenderAsync<Home>(portal, merchant, []));
            // What the dashboard reads, one at a time, to say which part grows.
            await ReportAsync("  dashboard: balances", size, () => portal.Get<Cashout.Portal.Balances.GetBalances>().HandleAsync(caller, merchantId));
            await ReportAsync("  dashboard: 30-day balance chart", size, () => portal.Get<Cashout.Portal.Balances.GetBalanceHistory>().HandleAsync(caller, merchantId));
            await ReportAsync("  dashboard: cashouts in flight", size, () => portal.Get<GetCashoutsInFlight>().HandleAsync(caller, merchantId));
            if (size == "large")
            {
                await PrintPlansAsync(portal, merchantId);
            }

            await ReportAsync("history", size, async () =>
            {
                await RenderAsync<CashoutsPage>(portal, merchant, []);
                await portal.Get<ListCashouts>().HandleAsync(caller, new CashoutPageRequest(new CashoutFilter(), 0, 20, CashoutSort.CreatedAt, Descending: true));
            });
            await ReportAsync("details", size, () => RenderAsync<CashoutDetailsPage>(portal, merchant, new() { [nameof(CashoutDetailsPage.Id)] = detailsId }));
        }
    }

    /// <summary>
    /// The merchant's history: one cashout through the real use case, then copies of its row (Completed, so the
    /// one-awaiting-cashout index lets them be), spread over the last year. Returns the id of one in the middle.
    /// </summary>
    private static async Task<long> SeedHistoryAsync(BenchmarkPortal portal, string merchantId, int count)
    {
        var caller = Caller.Merchant(merchantId) with { SteppedUpAt = portal.Get<TimeProvider>().GetUtcNow() };
        var first = await portal.Get<RequestCashout>().HandleAsync(caller, new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, 10_000, Currency.USD));
        var template = first.Cashout?.Id ?? throw new InvalidOperationException($"The template cashout was refused: {first.Decline?.Message}");

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = portal.DatabasePath }.ToString());
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Cashouts') WHERE name NOT IN ('Id', 'CreatedAt', 'UpdatedAt', 'Status', 'ExternalId')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add($"\"{reader.GetString(0)}\"");
            }
        }

        var list = string.Join(", ", columns);
        await using var copy = connection.CreateCommand();
        copy.Transaction = transaction;
        copy.CommandText = $"INSERT INTO Cashouts ({list}, CreatedAt, UpdatedAt, Status) SELECT {list}, $at, $at, 'Completed' FROM Cashouts WHERE Id = $template";
        var at = copy.Parameters.Add("$at", SqliteType.Integer);
        copy.Parameters.AddWithValue("$template", template);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var step = (long)TimeSpan.FromDays(365).TotalMilliseconds / count;
        for (var i = 1; i < count; i++)
        {
            at.Value = now - (count - i) * step;
            await copy.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return template;
    }

    private static async Task RenderAsync<TPage>(BenchmarkPortal portal, ClaimsPrincipal user, Dictionary<string, object?> parameters)
        where TPage : IComponent
    {
        // A request's scope, as the server renders a page in: its own authentication state, the app's services.
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        ((IHostEnvironmentAuthenticationStateProvider)services.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
        ((IHostEnvironmentNavigationManager)services.GetRequiredService<NavigationManager>()).Initialize("http://127.0.0.1:5080/", "http://127.0.0.1:5080/");
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var page = await renderer.RenderComponentAsync<CascadingAuthenticationState>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CascadingAuthenticationState.ChildContent)] = (RenderFragment)(builder =>
                {
                    // MainLayout hosts the popover provider the pages' selects and menus need.
                    builder.OpenComponent<MudBlazor.MudPopoverProvider>(0);
                    builder.CloseComponent();
                    builder.OpenComponent<TPage>(1);
                    foreach (var (name, value) in parameters)
                    {
                        builder.AddComponentParameter(2, name, value);
                    }

                    builder.CloseComponent();
                }),
            }));
            await page.QuiescenceTask;
            _ = page.ToHtmlString();
        });
    }

    /// <summary>SQLite's plan for the two reads the dashboard used to grow with (docs/performance.md).</summary>
    private static async Task PrintPlansAsync(BenchmarkPortal portal, string merchantId)
    {
        var windowStart = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = portal.DatabasePath }.ToString());
        await connection.OpenAsync();
        foreach (var (name, sql) in new[]
        {
            ("cashouts in flight", "SELECT * FROM Cashouts WHERE MerchantId = $merchant AND Status IN ('Pending', 'OnHold', 'Processing')"),
            ("30-day balance chart", $"""
                SELECT e.AccountId, t.PostedAt / 86400000, SUM(e.Amount) FROM LedgerTransactions t
                CROSS JOIN LedgerEntries e ON e.TransactionId = t.Id CROSS JOIN LedgerAccounts a ON a.Id = e.AccountId
                WHERE t.MerchantId = $merchant AND t.PostedAt >= {windowStart} AND a.MerchantId = $merchant
                GROUP BY e.AccountId, t.PostedAt / 86400000
                """),
        })
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            explain.Parameters.AddWithValue("$merchant", merchantId);
            await using var reader = await explain.ExecuteReaderAsync();
            var steps = new List<string>();
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }

            Console.WriteLine($"# plan, {name}: {string.Join(" | ", steps)}");
        }
    }

    private static void Check(bool holds)
    {
        if (!holds)
        {
            throw new InvalidOperationException("The benchmark merchant is not the one the ledger was filled for.");
        }
    }

    private static async Task ReportAsync(string page, string size, Func<Task> view)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await view();
        }

        var times = new double[Views];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Views; i++)
        {
            var watch = Stopwatch.StartNew();
            await view();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Views / 1024.0;
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{page},{size},{times[Views / 2]:0.00},{times[(int)(Views * 0.95)]:0.00},{allocated:0}"));
    }
}
