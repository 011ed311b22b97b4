using System.Text.Json;
using System.Threading.Channels;
using Npgsql;

namespace Cashout.Portal.Data;

/// <summary>
/// Tells the other nodes what this one committed, so the pages open there update live (a cashout's status, a
/// merchant's verification, ended sessions). Each kind of change sends its own small payload after its commit and
/// listens for the others' (<see cref="Received"/>); the database stays the truth and pages re-read it when told.
/// On the embedded SQLite default there is one node and nothing to tell. On PostgreSQL the messages travel by
/// LISTEN/NOTIFY on the portal's database (<see cref="PostgreSqlChangeFeed"/>): no extra server. A message lost to a
/// node that was restarting only delays that node's pages until their own revalidation or the next change.
/// </summary>
public sealed class ChangeFeed
{
    public const string Channel = "cashout_portal_changes";

    private readonly Channel<string>? outbound;

    public ChangeFeed(bool crossesNodes) =>
        outbound = crossesNodes ? System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
        {
            // A database that cannot keep up with notices: the oldest go (a page then waits for its revalidation).
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }) : null;

    /// <summary>This process, so that it ignores its own messages coming back.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A change another node committed: its kind and payload.</summary>
    public event Action<string, string>? Received;

    internal ChannelReader<string> Outbound => outbound?.Reader ?? throw new InvalidOperationException("This node has no other nodes to tell.");

    public void Send(string kind, string payload) =>
        outbound?.Writer.TryWrite(JsonSerializer.Serialize(new Message(NodeId, kind, payload)));

    internal void Receive(string json)
    {
        var message = JsonSerializer.Deserialize<Message>(json);
        if (message is null || message.Node == NodeId)
        {
            return;
        }

        foreach (var handler in Received?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<string, string>)handler)(message.Kind, message.Payload);
            }
            catch (Exception)
            {
                // A page that failed to refresh must not stop the feed.
            }
        }
    }

    private sealed record Message(string Node, string Kind, string Payload);
}

/// <summary>Carries the <see cref="ChangeFeed"/> over PostgreSQL's LISTEN/NOTIFY: one listening connection, one sending.</summary>
internal sealed class PostgreSqlChangeFeed(ChangeFeed feed, IConfiguration configuration, ILogger<PostgreSqlChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = DataExtensions.PostgreSqlConnectionString(configuration);
        return Task.WhenAll(ListenAsync(connectionString, stoppingToken), SendAsync(connectionString, stoppingToken));
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notice) => feed.Receive(notice.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Listening for other nodes' changes failed; listening again in {Delay}: {Error}", ReconnectAfter, ex.Message);
                await Task.Delay(ReconnectAfter, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await foreach (var message in feed.Outbound.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var notify = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
                    notify.Parameters.AddWithValue("channel", ChangeFeed.Channel);
                    notify.Parameters.AddWithValue("payload", message);
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Telling the other nodes of a change failed (their pages update at their next revalidation): {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
