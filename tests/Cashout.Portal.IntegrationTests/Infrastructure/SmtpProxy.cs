using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay on a free loopback port in front of the real SMTP server: it counts the connections the portal opens,
/// and can break one in the middle of a message, as a network failure would.
/// </summary>
public sealed class SmtpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> relays = [];
    private readonly Task accepting;
    private int connections;
    private int dataCommands;
    private int cutAtDataCommand;

    private SmtpProxy(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public static SmtpProxy Start(int upstreamPort) => new(upstreamPort);

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>How many connections clients have opened through the relay so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>
    /// The <paramref name="n"/>-th DATA command from now on (over all connections) never reaches the server: the
    /// relay closes that connection instead, so the server cannot have accepted that message.
    /// </summary>
    public void BreakConnectionAtDataCommand(int n) => Volatile.Write(ref cutAtDataCommand, Volatile.Read(ref dataCommands) + n);

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception ex) when (IsDisconnection(ex))
            {
                return;
            }

            Interlocked.Increment(ref connections);
            lock (relays)
            {
                relays.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        Task[] directions = [];
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, upstreamPort, closing.Token);
            directions =
            [
                ForwardCommandsAsync(client.GetStream(), server.GetStream(), closing.Token),
                server.GetStream().CopyToAsync(client.GetStream(), closing.Token),
            ];
            await Task.WhenAny(directions);
        }
        catch (Exception ex) when (IsDisconnection(ex))
        {
        }

        // One side went away (or the relay broke the connection): close the other, as a broken network would.
        await closing.CancelAsync();
        client.Dispose();
        server.Dispose();
        foreach (var direction in directions)
        {
            try
            {
                await direction;
            }
            catch (Exception ex) when (IsDisconnection(ex))
            {
            }
        }
    }

    private static bool IsDisconnection(Exception ex) => ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    /// <summary>Client to server, line-aware enough to spot DATA commands (not lines of a message's content).</summary>
    private async Task ForwardCommandsAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var line = new StringBuilder();
        var inContent = false;
        while (true)
        {
            var read = await from.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            var lineStart = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    if (line.Length < 16)
                    {
                        line.Append((char)buffer[i]);
                    }

                    continue;
                }

                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (inContent)
                {
                    inContent = text != ".";
                }
                else if (text.Equals("DATA", StringComparison.OrdinalIgnoreCase))
                {
                    inContent = true;
                    if (Interlocked.Increment(ref dataCommands) == Volatile.Read(ref cutAtDataCommand))
                    {
                        // Forward what came before this command, then break the connection.
                        await to.WriteAsync(buffer.AsMemory(0, lineStart), cancellationToken);
                        return;
                    }
                }

                lineStart = i + 1;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] open;
        lock (relays)
        {
            open = [.. relays];
        }

        await Task.WhenAll(open);
        stopping.Dispose();
    }
}
