using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server from Debian (python3-aiosmtpd) on a free loopback port, storing what it receives, byte for byte,
/// in a Maildir (raw_maildir.py, beside this assembly). The README's test command installs the package when it is missing.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process process;

    private SmtpServer(Process process, int port, string maildir)
    {
        this.process = process;
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>Starts the server on <paramref name="port"/> (a free one when null), e.g. to bring a stopped server back.</summary>
    public static async Task<SmtpServer> StartAsync(int? port = null)
    {
        port ??= FreePort();
        var maildir = Path.Combine(Path.GetTempPath(), "cashout-smtp", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "raw_maildir.RawMaildir", maildir },
            Environment = { ["PYTHONPATH"] = AppContext.BaseDirectory },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the SMTP server.");
        var server = new SmtpServer(process, port.Value, maildir);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Waits until the server has stored <paramref name="count"/> messages, then parses them.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var files = StoredFiles();
            if (files.Length >= count)
            {
                return [.. files.Select(f => ReceivedEmail.Parse(File.ReadAllText(f)))];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The SMTP server received {files.Length} of {count} expected messages.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Every message stored so far. aiosmtpd stores a message before it replies that it accepted it, so once the
    /// client has heard the reply, the message is here: exact counts need no waiting.
    /// </summary>
    public IReadOnlyList<ReceivedEmail> Received() => [.. StoredFiles().Select(f => ReceivedEmail.Parse(File.ReadAllText(f)))];

    /// <summary>How many messages are stored so far, without reading them.</summary>
    public int StoredCount()
    {
        var newFolder = Path.Combine(Maildir, "new");
        return Directory.Exists(newFolder) ? Directory.EnumerateFiles(newFolder).Count() : 0;
    }

    /// <summary>When the server stored its latest message (its file's time), or <see cref="DateTimeOffset.MinValue"/> when none.</summary>
    public DateTimeOffset LastStoredAt() =>
        StoredFiles().Select(f => new DateTimeOffset(File.GetLastWriteTimeUtc(f), TimeSpan.Zero)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    private string[] StoredFiles()
    {
        var newFolder = Path.Combine(Maildir, "new");
        return Directory.Exists(newFolder) ? Directory.GetFiles(newFolder) : [];
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The SMTP server exited ({process.ExitCode}); is python3-aiosmtpd installed? {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        if (Directory.Exists(Maildir))
        {
            Directory.Delete(Maildir, recursive: true);
        }
    }
}
