using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// PostgreSQL's own ceiling on this server: pgbench's built-in TPC-B-like script (five statements and a commit per
/// transaction) with the given clients, on a scale-1 database of its own, beside the portal's figure in the same run.
/// </summary>
public static partial class Pgbench
{
    public static async Task<double> TransactionsPerSecondAsync(string server, int clients, TimeSpan duration)
    {
        var database = "pgbench_" + Guid.NewGuid().ToString("N");
        await BenchmarkPortal.ExecuteOnServerAsync(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(server);
            string[] connection = ["-h", settings.Host ?? "127.0.0.1", "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username ?? "postgres"];
            await RunAsync([.. connection, "-i", "-s", "1", "-q", database]);
            var output = await RunAsync([.. connection, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-n", database]);
            var tps = Tps().Match(output);
            return tps.Success
                ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException("pgbench printed no tps: " + output);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchmarkPortal.ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task<string> RunAsync(string[] arguments)
    {
        var pgbench = Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin", "pgbench")).LastOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbench not found: it comes with Debian's postgresql package (scripts/postgres.sh installs it).");
        var start = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output + await errors
            : throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} failed: {await errors}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
