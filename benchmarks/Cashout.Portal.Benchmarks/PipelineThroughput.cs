using System.Diagnostics;
using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// The payout pipeline end to end (DESIGN.md section 7: 10,000 cashouts in at most 60 s). N verified merchants with
/// a linked Payoneer method and funds are prepared; the built portal runs as its own process over the same
/// database with its jobs on, its in-app sandbox on loopback HTTP with every processing delay at zero, and its
/// email going to a real SMTP server (aiosmtpd); N cashouts are requested through the real RequestCashout use case
/// (in this process: the portal's sweeps pick them up, as they do requests from another node). Reports the time
/// until all N are Completed and until every stage email was accepted by the SMTP server, beside the raw SQLite
/// commit rate measured in the same run, then checks each email arrived once, each payout was made once, and the
/// ledger verifier. Run with <c>-- --pipeline N</c> (docs/performance.md).
/// </summary>
public static class PipelineThroughput
{
    private const int EmailsPerCashout = 3; // requested, processing, completed
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);
    private static readonly Money Funds = Money.Of(100_000, Currency.USD);

    /// <param name="warmUp">
    /// Cashouts taken through the pipeline first, not measured: a portal at month end has been running for days, its
    /// code compiled by the JIT's last tier, which a process started cold only reaches a minute or more into the run.
    /// </param>
    public static async Task RunAsync(int count, int nodes = 1, int warmUp = 0)
    {
        var (ceiling, ceilingName) = BenchmarkPortal.PostgreSqlServer is { } server
            ? (await Pgbench.TransactionsPerSecondAsync(server, 16, TimeSpan.FromSeconds(10)), "pgbench TPC-B-like, 16 clients, scale 1, same server")
            : (RawSqliteCommits.PerSecond(TimeSpan.FromSeconds(3)), "raw SQLite one-row commits (WAL, FULL), same disk");
        await using var smtp = await SmtpServer.StartAsync();
        await using var portal = await BenchmarkPortal.StartAsync();
        var merchants = await BenchmarkMerchants.CreateAsync(portal, "pipeline", count, Funds, withApiCredentials: ThroughApi);
        var warmUpMerchants = warmUp > 0 ? await BenchmarkMerchants.CreateAsync(portal, "warm-up", warmUp, Funds, withApiCredentials: ThroughApi) : [];
        await portal.CheckpointAsync();

        // Several nodes share the database (jobs, keys, live updates) and the sandbox's file; each node's adapters and
        // sandbox meet on that node's own address (no browser traffic here, so no load balancer).
        var processes = new List<PortalProcess>();
        for (var node = 0; node < nodes; node++)
        {
            processes.Add(await PortalProcess.StartAsync(PortalProcess.FreePort(), Settings(portal, smtp)));
            Console.WriteLine($"// portal process {processes[^1].ProcessId} on {processes[^1].BaseUrl}");
        }

        if (warmUp > 0)
        {
            var warmUpClock = Stopwatch.StartNew();
            await RequestAllAsync(portal, processes, warmUpMerchants);
            await WaitForEndAsync(portal, smtp, warmUp, warmUpClock, DateTimeOffset.UtcNow - warmUpClock.Elapsed, before: 0);
            Console.WriteLine($"// warm-up: {warmUp:N0} cashouts through the pipeline in {warmUpClock.Elapsed.TotalSeconds:F1} s, not measured");
        }

        var cpuAtStart = processes.Select(p => p.CpuTime()).ToList();
        var machineAtStart = MachineCpu.Read();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var requested = await RequestAllAsync(portal, processes, merchants);
        var (completed, emailed) = await WaitForEndAsync(portal, smtp, count, clock, startedAt, before: warmUp);
        var portalCpu = processes.Select((p, i) => p.CpuTime() - cpuAtStart[i]).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var watched = clock.Elapsed.TotalSeconds; // up to a second past the last email: the watch's pace
        var machine = MachineCpu.Read();
        foreach (var process in processes)
        {
            await process.KillAsync();
        }

        var emails = await CheckEachEmailOnceAsync(portal, smtp, warmUp + count) - EmailsPerCashout * warmUp;
        var payouts = await CheckEachPayoutOnceAsync(portal, warmUp + count) - warmUp;
        var violations = await portal.Get<LedgerVerifier>().VerifyAsync();
        var connections = SendParallelism();
        var smtpCeiling = await SmtpCeiling.EmailsPerSecondAsync(await SomeSentEmailsAsync(portal, Math.Min(emails, 3_000)), connections);

        Console.WriteLine($"Payout pipeline on {portal.Engine}, {nodes} node(s), N = {count:N0} (Payoneer, review window 0 s, sandbox delays 0, aiosmtpd on loopback), {Environment.ProcessorCount} cores, "
            + (warmUp > 0 ? $"after a warm-up of {warmUp:N0} cashouts:" : "the portal started cold:"));
        Console.WriteLine("| Stage | Seconds | Rate |");
        Console.WriteLine("|---|---:|---:|");
        Row(ThroughApi ? $"all N requested (family A's POST /cashout/process, {Clients} at a time)" : "all N requested (RequestCashout, one after another)", requested, count, "cashouts/s");
        Row("all N Completed", completed, count, "cashouts/s");
        Row($"all {emails:N0} stage emails accepted by the SMTP server", emailed, emails, "emails/s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ceiling: {ceilingName}, same run | | {ceiling:F0} commits/s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ceiling: the SMTP server alone (aiosmtpd, MailKit over {connections} connections, no portal), same run | | {smtpCeiling:F0} emails/s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cashouts/s over the ceiling: {count / completed / ceiling:F3} (1 : {ceiling * completed / count:F0}); until the end was seen: portal process CPU {portalCpu.TotalSeconds:F1} s ({portalCpu.TotalSeconds / watched / Environment.ProcessorCount:P0} of the machine), the machine's cores (every process) working {machine.WorkSince(machineAtStart):P0} of the time."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Emails/s over the SMTP server's own: {emails / emailed / smtpCeiling:F2}; at its own rate the server alone needs {emails / smtpCeiling:F1} s for these {emails:N0} emails."));
        Console.WriteLine($"Checks: {emails:N0} emails each received once; {payouts:N0} payouts, each once at the provider; LedgerVerifier: {violations.Count} violation(s).");
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The ledger is inconsistent: " + string.Join("; ", violations));
        }
    }

    /// <summary>The pipeline tests' fast settings (PipelineTest), with every sandbox processing time at zero and quiet logs.</summary>
    private static Dictionary<string, string> Settings(BenchmarkPortal portal, SmtpServer smtp)
    {
        var settings = new Dictionary<string, string>(portal.DatabaseSettings)
        {
            ["Sandbox:DatabasePath"] = Path.Combine(Path.GetDirectoryName(portal.DatabasePath)!, "sandbox.db"),
            ["Sandbox:PayoneerProcessing"] = "00:00:00",
            ["Sandbox:TickMilliseconds"] = "100",
            ["Email:PickupDirectory"] = "",
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email:RetryBaseDelaySeconds"] = "1",
            ["Jobs:OutboxSender:IntervalSeconds"] = "1",
            ["Jobs:Submit:IntervalSeconds"] = "1",
            ["Jobs:Track:IntervalSeconds"] = "1",
            ["Payouts:ReviewWindowSeconds"] = "0",
            ["Payouts:SubmitRetryBaseSeconds"] = "1",
            // Merchants link a method and cash out at once: the cooling-off rule would hold every cashout (ADR 019).
            ["Payouts:CoolingOffHours"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in ExtraSettings())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>PIPELINE_SETTINGS="Jobs:MaxConcurrency=20;Email:SendParallelism=4" overrides settings, for experiments.</summary>
    private static IEnumerable<(string Key, string Value)> ExtraSettings() =>
        (Environment.GetEnvironmentVariable("PIPELINE_SETTINGS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (pair[0], pair[1]));

    /// <summary>
    /// PIPELINE_REQUESTS=api: the merchants request through the portal's API (<see cref="RequestThroughApiAsync"/>);
    /// otherwise through the RequestCashout use case in this process, one after another.
    /// </summary>
    private static bool ThroughApi => Environment.GetEnvironmentVariable("PIPELINE_REQUESTS") == "api";

    private static Task<double> RequestAllAsync(BenchmarkPortal portal, List<PortalProcess> nodes, string[] merchants) =>
        ThroughApi ? RequestThroughApiAsync(nodes, merchants) : RequestInProcessAsync(portal, merchants);

    /// <summary>
    /// In this process, one after another: the portal's sweeps pick the cashouts up as they do requests from another
    /// node. On SQLite this process's write transactions meet the portal's in SQLite's sleeping busy handler, so while
    /// it requests the portal's pipeline barely moves (docs/performance.md).
    /// </summary>
    private static async Task<double> RequestInProcessAsync(BenchmarkPortal portal, string[] merchants)
    {
        var watch = Stopwatch.StartNew();
        var requestCashout = portal.Get<RequestCashout>();
        foreach (var merchantId in merchants)
        {
            var outcome = await requestCashout.HandleAsync(Caller.Merchant(merchantId), new RequestCashoutCommand(merchantId, PayoutMethod.Payoneer, 10_000, Currency.USD));
            if (outcome.Status != CommandStatus.Succeeded)
            {
                throw new InvalidOperationException($"The request of {merchantId} was not accepted: {outcome.Status} {outcome.Decline?.Message}");
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>API requests in flight at once, as many merchants' systems calling at month end.</summary>
    private const int Clients = 16;

    /// <summary>
    /// Each merchant requests its cashout through the portal's API (family A, HTTP Basic), as merchants' systems do, the
    /// requests spread over the nodes: in the portal's process its writes queue for the write turn with the pipeline's.
    /// </summary>
    private static async Task<double> RequestThroughApiAsync(List<PortalProcess> nodes, string[] merchants)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { Timeout = TimeSpan.FromMinutes(2) };
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(merchants.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (merchant, cancellationToken) =>
        {
            var (login, pass) = BenchmarkMerchants.ApiCredentialsOf(merchant.id);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(nodes[merchant.i % nodes.Count].BaseUrl, "cashout/process"))
            {
                Content = new StringContent("""{"amount":10000,"method":"payoneer"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{login}:{pass}")));
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The request of {merchant.id} was not accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Watches the database and the SMTP server's Maildir until both are done, or gives up; then reads when the last
    /// cashout was Completed (its CompletedAt) and when the server stored the last email (its file's time), both from
    /// <paramref name="startedAt"/>. The times come from the data, so the watch can be slow: once a second, because
    /// counting the server's folder lists every file in it (about 25 ms of CPU at 30,000 files), and ten times a second
    /// that took a few percent of the cores the run is measuring.
    /// </summary>
    /// <param name="before">Cashouts taken through the pipeline before these (the warm-up): their status and emails are not counted.</param>
    private static async Task<(double Completed, double Emailed)> WaitForEndAsync(BenchmarkPortal portal, SmtpServer smtp, int count, Stopwatch clock, DateTimeOffset startedAt, int before)
    {
        var expectedEmails = count * EmailsPerCashout;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var done = await CompletedAsync(portal) - before;
            var received = smtp.StoredCount() - EmailsPerCashout * before;
            if (done == count && received >= expectedEmails)
            {
                break;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"// {clock.Elapsed.TotalSeconds:F0} s: {done:N0} Completed, {received:N0} emails received; {await BacklogAsync(portal)}");
            }

            if (clock.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"Gave up after {GiveUpAfter.TotalMinutes:F0} min: {done:N0} of {count:N0} Completed ({done / clock.Elapsed.TotalSeconds:F1}/s), " +
                    $"{received:N0} of {expectedEmails:N0} emails received ({received / clock.Elapsed.TotalSeconds:F1}/s).");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await using var db = portal.CreateDbContext();
        var lastCompleted = await db.Cashouts.Where(c => c.Status == CashoutStatus.Completed).MaxAsync(c => c.CompletedAt)
            ?? throw new InvalidOperationException("A Completed cashout has no CompletedAt.");
        return ((lastCompleted - startedAt).TotalSeconds, (smtp.LastStoredAt() - startedAt).TotalSeconds);
    }

    /// <summary>Where the cashouts wait: how many are in each status, emails unsent, the sandbox's webhooks undelivered.</summary>
    private static async Task<string> BacklogAsync(BenchmarkPortal portal)
    {
        await using var db = portal.CreateDbContext();
        var statuses = await db.Cashouts.GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var unsent = await db.OutboxMessages.CountAsync(m => m.Status != OutboxStatus.Sent);
        await using var sandbox = SandboxContext(portal);
        var undelivered = await sandbox.Webhooks.CountAsync(w => w.DeliveredAt == null);
        return string.Join(", ", statuses.Where(s => s.Key != CashoutStatus.Completed).Select(s => $"{s.Count:N0} {s.Key}"))
            + $"; {unsent:N0} emails unsent; {undelivered:N0} sandbox webhooks undelivered";
    }

    private static SandboxDbContext SandboxContext(BenchmarkPortal portal) =>
        new(new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite($"Data Source={Path.Combine(Path.GetDirectoryName(portal.DatabasePath)!, "sandbox.db")}").Options);

    private static async Task<int> CompletedAsync(BenchmarkPortal portal)
    {
        await using var db = portal.CreateDbContext();
        return await db.Cashouts.CountAsync(c => c.Status == CashoutStatus.Completed);
    }

    /// <summary>Every stage email of every cashout, each stored once by the SMTP server, and nothing else.</summary>
    private static async Task<int> CheckEachEmailOnceAsync(BenchmarkPortal portal, SmtpServer smtp, int count)
    {
        await using var db = portal.CreateDbContext();
        var queued = await db.OutboxMessages.Select(m => new { m.To, m.Subject, m.Status }).ToListAsync();
        var received = smtp.Received().CountBy(m => (m.To, m.Subject)).ToDictionary();
        var missing = queued.Count(m => received.GetValueOrDefault((m.To, m.Subject)) == 0);
        var twice = received.Count(r => r.Value > 1);
        if (queued.Count != count * EmailsPerCashout || queued.Any(m => m.Status != OutboxStatus.Sent) || missing > 0 || twice > 0 || received.Count != queued.Count)
        {
            throw new InvalidOperationException($"{queued.Count} emails queued for {count} cashouts, {missing} not received, {twice} received more than once, {received.Count} distinct received.");
        }

        return queued.Count;
    }

    /// <summary>Emails the portal sent in this run, as the outbox holds them, for the SMTP server's ceiling.</summary>
    private static async Task<List<OutboxMessage>> SomeSentEmailsAsync(BenchmarkPortal portal, int count)
    {
        await using var db = portal.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).Take(count).ToListAsync();
    }

    /// <summary>The outbox's connections at most (Email:SendParallelism, its default unless PIPELINE_SETTINGS says otherwise).</summary>
    private static int SendParallelism() =>
        ExtraSettings().Where(s => s.Key == $"{EmailOptions.Section}:{nameof(EmailOptions.SendParallelism)}").Select(s => int.Parse(s.Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(new EmailOptions().SendParallelism).Last();

    /// <summary>The provider paid each cashout once, under its own reference.</summary>
    private static async Task<int> CheckEachPayoutOnceAsync(BenchmarkPortal portal, int count)
    {
        await using var sandbox = SandboxContext(portal);
        var references = await sandbox.Payouts.Select(p => p.Reference).ToListAsync();
        await using var db = portal.CreateDbContext();
        var expected = (await db.Cashouts.Select(c => c.Id).ToListAsync()).Select(PayoutReference.For).ToHashSet();
        if (references.Count != count || !expected.SetEquals(references))
        {
            throw new InvalidOperationException($"The provider holds {references.Count} payouts ({references.Distinct().Count()} references) for {count} cashouts.");
        }

        return references.Count;
    }

    private static void Row(string stage, double seconds, int items, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {seconds:F1} | {items / seconds:F0} {unit} |"));
}

/// <summary>The raw SQLite commit loop (<see cref="RawSqliteCommitBenchmarks"/>) for a while: commits per second.</summary>
public static class RawSqliteCommits
{
    public static double PerSecond(TimeSpan duration)
    {
        var raw = new RawSqliteCommitBenchmarks();
        raw.Setup();
        try
        {
            var commits = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                raw.Commit();
                commits++;
            }

            return commits / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            raw.Cleanup();
        }
    }
}
