using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Email;

/// <summary>What one run of the outbox did: messages the server accepted, attempts that failed.</summary>
public sealed record OutboxRun(int Sent, int Failed)
{
    public static readonly OutboxRun None = new(0, 0);

    public static OutboxRun operator +(OutboxRun a, OutboxRun b) => new(a.Sent + b.Sent, a.Failed + b.Failed);
}

/// <summary>
/// The outbox sender's work, derived from the database: the due messages of a batch go out over one connection
/// (several for a large batch, each with its own share, and each going on with more of a backlog as it finishes),
/// and the messages the server accepted are marked Sent several to a commit while the next ones go out
/// (<see cref="SentMarks"/>).
/// Delivery is at least once (docs/decisions/042-outbox-sent-marks-share-a-commit.md): a process that dies between
/// the server's acceptance and the mark's commit sends the message again after the restart, at most
/// <see cref="MaxUnmarked"/> a connection, with the same Message-ID.
/// </summary>
public sealed class SendDueEmails(
    IDbContextFactory<PortalDbContext> dbFactory,
    EmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<SendDueEmails> logger)
{
    internal const int BatchSize = 200;

    /// <summary>A run drains a backlog while its claims come full, up to this many messages; the next run takes the rest.</summary>
    internal const int MaxMessagesPerRun = 10_000;

    /// <summary>A second connection is only worth its handshake for a share of at least this many messages.</summary>
    internal const int MinMessagesPerConnection = 10;

    /// <summary>
    /// How long a run owns the messages it claimed: others skip them meanwhile. A run that dies leaves them due again
    /// after this (sent again if the server had accepted them: at least once, ADR 018).
    /// </summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);

    /// <summary>Accepted messages of one connection whose Sent marks go in one commit (<see cref="SentMarks"/>).</summary>
    internal const int MarksPerCommit = 16;

    /// <summary>
    /// Accepted messages of one connection that may wait for their Sent mark: the next message waits for the commit
    /// on its way rather than widen further what a crash would send twice.
    /// </summary>
    internal const int MaxUnmarked = 32;

    /// <summary>
    /// Claims a batch of due messages and sends it over the connections it is worth, a share each. While the batch came
    /// full there is a backlog: each connection then goes on with claims of its own share's size as it finishes one,
    /// without waiting for the others (a batch that waited for its slowest share left the other connections idle), until
    /// the run's bound.
    /// </summary>
    public async Task<OutboxRun> HandleAsync(CancellationToken cancellationToken = default)
    {
        var due = await ClaimDueAsync(BatchSize, cancellationToken);
        if (due.Count == 0)
        {
            return OutboxRun.None;
        }

        var claimable = new Claimable(due.Count < BatchSize ? 0 : MaxMessagesPerRun - due.Count);
        var runs = await Task.WhenAll(Shares(due).Select(share => SendOverOneConnectionAsync(share, claimable, cancellationToken)));
        return runs.Aggregate(OutboxRun.None, (sum, run) => sum + run);
    }

    /// <summary>
    /// One connection's work in a run: its share, then more of the backlog, a claim of the same size at a time, while
    /// the claims come full and the run may claim more. A share that delivered nothing most likely met a server that is
    /// down: the connection stops, and the next firing tries again rather than this one knocking once more per claim.
    /// </summary>
    private async Task<OutboxRun> SendOverOneConnectionAsync(long[] share, Claimable claimable, CancellationToken cancellationToken)
    {
        await using var connection = transport.Open();
        var total = OutboxRun.None;
        var ids = share;
        while (true)
        {
            var run = await SendShareAsync(connection, ids, cancellationToken);
            total += run;
            if (run.Sent == 0 || ids.Length < share.Length || !claimable.TryTake(share.Length))
            {
                return total;
            }

            ids = [.. await ClaimDueAsync(share.Length, cancellationToken)];
            if (ids.Length == 0)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages for this run, in one statement: their next attempt moves to the end of
    /// <see cref="ClaimLease"/>, so a run beside this one (another node's, or one that outlived its job lock) does not
    /// send them too. The outer condition is checked again on each row as it is updated, so two runs that read the
    /// same candidates split them; on PostgreSQL the second skips the rows the first has locked.
    /// </summary>
    private async Task<List<long>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseEnd = (time.GetUtcNow() + ClaimLease).ToUnixTimeMilliseconds();
        var pending = (int)OutboxStatus.Pending;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = db.Database.IsSqlite()
            ? db.Database.SqlQuery<long>($"""
                UPDATE "OutboxMessages" SET "NextAttemptAt" = {leaseEnd}
                WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} AND "Id" IN (
                    SELECT "Id" FROM "OutboxMessages" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} ORDER BY "Id" LIMIT {limit})
                RETURNING "Id" AS "Value"
                """)
            // Materialized: an IN (subquery ... LIMIT ... SKIP LOCKED) may run its subquery again and claim more than a batch.
            : db.Database.SqlQuery<long>($"""
                WITH due AS MATERIALIZED (
                    SELECT "Id" FROM "OutboxMessages" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} ORDER BY "Id" LIMIT {limit}
                    FOR UPDATE SKIP LOCKED)
                UPDATE "OutboxMessages" AS m SET "NextAttemptAt" = {leaseEnd} FROM due WHERE m."Id" = due."Id"
                RETURNING m."Id" AS "Value"
                """);
        return [.. (await db.WriteAsync(() => claimed.ToListAsync(cancellationToken), cancellationToken)).Order()];
    }

    /// <summary>Consecutive shares of the batch, one per connection: as many as the batch is worth, up to Email:SendParallelism.</summary>
    private IEnumerable<long[]> Shares(List<long> due)
    {
        var connections = Math.Clamp(due.Count / MinMessagesPerConnection, 1, options.Value.SendParallelism);
        return due.Chunk((due.Count + connections - 1) / connections);
    }

    /// <summary>Sends claimed messages over the connection, recording each outcome as it happens.</summary>
    private async Task<OutboxRun> SendShareAsync(IEmailConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);

        var marks = new SentMarks(MarksPerCommit, MaxUnmarked, MarkSentAsync);
        var (sent, failed) = (0, 0);
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                try
                {
                    // The Message-ID names the outbox row and its attempt: a copy sent again after a crash carries the same one.
                    var mime = transport.Compose(message.To, message.Subject, message.HtmlBody, message.TextBody,
                        $"outbox.{message.Id}.{message.Attempts + 1}.{message.CreatedAt.ToUnixTimeMilliseconds()}");
                    await connection.SendAsync(mime, cancellationToken);
                }
                catch (MailServerUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // No connection: the rest of the share would fail the same way, so they all wait for their next attempt.
                    var waiting = messages[i..];
                    waiting.ForEach(m => m.MarkAttemptFailed(ex.Message, time.GetUtcNow(), options.Value.RetrySchedule));
                    await db.SaveChangesAsync(cancellationToken);
                    logger.LogWarning("Mail server unavailable; {Count} emails wait for their next attempt: {Error}", waiting.Count, ex.Message);
                    return new OutboxRun(sent, failed + waiting.Count);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever the cause (the server's refusal, a dropped connection, an address MimeKit cannot parse), it
                    // is this message's failed attempt: one bad message must not hold up the rest of the outbox.
                    message.MarkAttemptFailed(ex.Message, time.GetUtcNow(), options.Value.RetrySchedule);
                    await db.SaveChangesAsync(cancellationToken);
                    failed++;
                    logger.LogWarning("Email {MessageId} ({Kind}) attempt {Attempt} failed: {Error}", message.Id, message.Kind, message.Attempts, ex.Message);
                    continue;
                }

                await marks.AcceptedAsync(message.Id);
                sent++;
            }
        }
        finally
        {
            // Accepted: recorded before the run ends, even while the job is being stopped.
            await marks.FlushAsync();
        }

        return new OutboxRun(sent, failed);
    }

    /// <summary>One message marked Sent; the same text for every message, so the kept write connection prepares it once (ADR 037).</summary>
    private const string MarkSentSql = """
        UPDATE "OutboxMessages" SET "Status" = @sent, "Attempts" = "Attempts" + 1, "SentAt" = @now, "LastError" = NULL
        WHERE "Id" = @id AND "Status" = @pending
        """;

    /// <summary>
    /// Marks accepted messages Sent in one write transaction (queued for the write turn, so it may share the commit
    /// of other writers, ADR 040), in plain statements: the turn is the pipeline's one serial resource.
    /// Not cancelled: a crash before this commit is what makes a message go out twice.
    /// </summary>
    private async Task MarkSentAsync(long[] ids)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        foreach (var id in ids)
        {
            await using var command = db.CreateCommand(MarkSentSql);
            command.AddParameter("sent", (int)OutboxStatus.Sent);
            command.AddParameter("now", now);
            command.AddParameter("id", id);
            command.AddParameter("pending", (int)OutboxStatus.Pending);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>How many more messages a run may claim, taken by its connections as they go.</summary>
    private sealed class Claimable(int messages)
    {
        private int left = messages;

        public bool TryTake(int count) => Interlocked.Add(ref left, -count) >= 0;
    }
}
