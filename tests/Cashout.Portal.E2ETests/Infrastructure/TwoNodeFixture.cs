using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Ledger;
using Cashout.Portal.PaymentMethods;
using Cashout.Portal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// Two portal processes (the built app) on one PostgreSQL database, behind nginx with sticky sessions, as README
/// "Running on several machines" sets them up: jobs on Hangfire's PostgreSQL storage, Data Protection keys and live
/// updates through the database. Both nodes' provider sandboxes share one file (one provider behind two addresses), and
/// the providers and their webhooks reach the portal through the load balancer. Needs the test run's PostgreSQL server
/// (scripts/test.sh: <see cref="TestDatabase.ServerVariable"/>).
/// </summary>
public sealed class TwoNodeFixture : PortalFixture
{
    private readonly string folder = Directory.CreateTempSubdirectory("cashout-two-nodes-").FullName;

    public TestDatabase Database { get; private set; } = default!;

    public PortalProcess NodeA { get; private set; } = default!;

    public PortalProcess NodeB { get; private set; } = default!;

    public LoadBalancer Balancer { get; private set; } = default!;

    /// <summary>Prepares data through the portal's own use cases, over the same database.</summary>
    public PortalData Data { get; private set; } = default!;

    public string SandboxDatabasePath => Path.Combine(folder, "sandbox.db");

    /// <summary>The recurring sweeps' interval on both nodes.</summary>
    public const int SweepSeconds = 2;

    protected override async Task<Uri> StartPortalAsync()
    {
        if (!TestDatabase.IsPostgreSql)
        {
            throw new InvalidOperationException($"The two-node tests need a PostgreSQL server: set {TestDatabase.ServerVariable} (scripts/test.sh does).");
        }

        Database = TestDatabase.Create(Path.Combine(folder, "unused.db"));
        var balancerPort = FreePort();
        var balancerUrl = new Uri($"http://127.0.0.1:{balancerPort}/");
        var settings = new Dictionary<string, string>(Database.Settings)
        {
            // Each node's pool stays well under the server's connections (README "Running on several machines"):
            // past it, a request waits for a connection rather than being refused by the server.
            ["ConnectionStrings:Portal"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString,
            ["Portal:PublicBaseUrl"] = balancerUrl.ToString(),
            ["Proxy:KnownProxies:0"] = "127.0.0.1",
            ["Sandbox:DatabasePath"] = SandboxDatabasePath,
            ["Sandbox:PortalBaseUrl"] = balancerUrl.ToString(),
            ["Sandbox:TickMilliseconds"] = "100",
            ["Api:RequestsPerSecond"] = "100000",
            ["Api:Burst"] = "100000",
            ["Jobs:Submit:IntervalSeconds"] = $"{SweepSeconds}",
            ["Jobs:Track:IntervalSeconds"] = $"{SweepSeconds}",
            ["Jobs:Settle:IntervalSeconds"] = $"{SweepSeconds}",
            ["Jobs:OutboxSender:IntervalSeconds"] = $"{SweepSeconds}",
            ["Jobs:WebhookDelivery:IntervalSeconds"] = $"{SweepSeconds}",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var provider in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            settings[$"Providers:{provider}:BaseUrl"] = new Uri(balancerUrl, $"sandbox/{provider.ToLowerInvariant()}/").ToString();
        }

        // One after the other: the first seeds the demo data, the second finds it.
        NodeA = await PortalProcess.StartAsync(Options, settings: settings);
        NodeB = await PortalProcess.StartAsync(Options, settings: settings);
        Balancer = await LoadBalancer.StartAsync([NodeA.BaseUrl, NodeB.BaseUrl], balancerPort);
        // The same settings: the recurring schedules live in the shared job storage, and whoever starts writes them.
        Data = new PortalData(new Dictionary<string, string>(settings) { ["Logging:LogLevel:Default"] = "Warning" }, balancerUrl);
        return Balancer.BaseUrl;
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await Data.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public async Task<IReadOnlyList<Cashout.Domain.Ledger.InvariantViolation>> VerifyLedgerAsync()
    {
        await using var scope = Data.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerVerifier>().VerifyAsync();
    }

    /// <summary>The demo merchant (it has API credentials) with Payoneer linked to <paramref name="payeeEmail"/>; its id.</summary>
    public async Task<string> DemoMerchantWithPayoneerAsync(string payeeEmail)
    {
        var merchantId = await WithDbAsync(db => db.Users.Where(u => u.Email == DemoSeed.MerchantEmail).Select(u => u.Id).SingleAsync());
        await using var scope = Data.Services.CreateAsyncScope();
        var linked = await scope.ServiceProvider.GetRequiredService<LinkPaymentMethod>().HandleAsync(
            Caller.Merchant(merchantId) with { SteppedUpAt = DateTimeOffset.UtcNow },
            new LinkPaymentMethodCommand(merchantId, Cashout.Domain.PaymentMethods.PayoutMethod.Payoneer, PayeeEmail: payeeEmail));
        return linked.Result.Succeeded ? merchantId : throw new InvalidOperationException($"Could not link Payoneer: {linked.Result}");
    }

    /// <summary>When Hangfire created the runs of a recurring sweep since <paramref name="since"/> (its PostgreSQL storage), in order.</summary>
    public async Task<List<DateTime>> RecurringRunsAsync(string sweep, DateTime since)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT j.createdat FROM hangfire.job j
            JOIN hangfire.jobparameter p ON p.jobid = j.id AND p.name = 'RecurringJobId' AND p.value = @sweep
            WHERE j.createdat > @since ORDER BY j.createdat
            """, connection);
        command.Parameters.AddWithValue("sweep", JsonSerializer.Serialize(sweep));
        command.Parameters.AddWithValue("since", since);
        var times = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times.Add(reader.GetDateTime(0));
        }

        return times;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Data is not null)
        {
            await Data.DisposeAsync();
        }

        foreach (var disposable in new IAsyncDisposable?[] { Balancer, NodeA, NodeB, Database })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
