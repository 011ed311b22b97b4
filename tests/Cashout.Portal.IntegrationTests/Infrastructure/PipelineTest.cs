using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Email;
using Cashout.Portal.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Base of the payout pipeline tests: the test prepares data through the real use cases on a database file
/// (<see cref="MoneyTest.Portal"/>, jobs off), then runs the built portal as a process over the same file, with
/// its jobs on, its provider sandbox on real loopback HTTP and its email going to a real SMTP server.
/// The ledger verifier still runs after every test.
/// </summary>
public abstract class PipelineTest : MoneyTest
{
    protected SmtpServer Smtp { get; private set; } = null!;

    protected string SandboxDatabasePath => Path.Combine(Portal.DataDirectory, "sandbox.db");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Smtp = await SmtpServer.StartAsync();
    }

    protected override async Task CleanUpAsync() => await Smtp.DisposeAsync();

    /// <summary>
    /// Starts the portal process on a free port with fast jobs and a very fast sandbox; <paramref name="overrides"/>
    /// win. Only the port is given (ASPNETCORE_URLS): the adapters and the sandbox find the portal at its own address.
    /// </summary>
    protected Task<PortalProcess> StartPortalAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var port = PortalProcess.FreePort();
        var settings = new Dictionary<string, string>();
        foreach (var (key, value) in Portal.Database.Settings)
        {
            settings[key] = value;
        }

        settings["Sandbox:DatabasePath"] = SandboxDatabasePath;
        settings["Sandbox:TimeScale"] = "1000000";
        settings["Sandbox:TickMilliseconds"] = "100";
        settings["Email:PickupDirectory"] = "";
        settings["Email:SmtpHost"] = "127.0.0.1";
        settings["Email:SmtpPort"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Email:RetryBaseDelaySeconds"] = "1";
        settings["Jobs:OutboxSender:IntervalSeconds"] = "1";
        settings["Jobs:Submit:IntervalSeconds"] = "1";
        settings["Jobs:Track:IntervalSeconds"] = "1";
        settings["Payouts:ReviewWindowSeconds"] = "0";
        settings["Payouts:SubmitRetryBaseSeconds"] = "1";
        foreach (var provider in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            settings[$"Providers:{provider}:RetryBaseDelayMilliseconds"] = "20";
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return PortalProcess.StartAsync(port, settings);
    }

    protected Task WaitForStatusAsync(long cashoutId, CashoutStatus status, PortalProcess portal, TimeSpan? timeout = null) =>
        WaitForAsync(async () => (await CashoutAsync(cashoutId)).Status == status, $"cashout {cashoutId} is {status}", portal, timeout);

    protected static async Task WaitForAsync(Func<Task<bool>> condition, string what, PortalProcess portal, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.TrueAsync(condition, what, timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}The portal's last lines:{Environment.NewLine}{portal.Tail}", ex);
        }
    }

    /// <summary>The stage emails queued for a cashout, in order (cashout.requested, cashout.processing, ...).</summary>
    protected Task<List<string>> StageEmailKindsAsync(string to, long cashoutId) => Portal.WithDbAsync(db => db.OutboxMessages
        .Where(m => m.To == to && m.Kind.StartsWith("cashout.") && m.Subject.Contains($"#{cashoutId} "))
        .OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync());

    protected Task<bool> AllEmailsSentAsync() => Portal.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.Status == OutboxStatus.Sent));

    protected Task<List<CashoutEvent>> TimelineAsync(long cashoutId) =>
        Portal.WithDbAsync(db => db.CashoutEvents.AsNoTracking().Where(e => e.CashoutId == cashoutId).OrderBy(e => e.Id).ToListAsync());

    /// <summary>Reads the sandbox provider's own database (what it accepted, what it was asked).</summary>
    protected async Task<T> SandboxAsync<T>(Func<SandboxDbContext, Task<T>> query)
    {
        await using var db = new SandboxDbContext(new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite($"Data Source={SandboxDatabasePath}").Options);
        return await query(db);
    }
}
