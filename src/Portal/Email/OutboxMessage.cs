namespace Cashout.Portal.Email;

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// An email the portal owes someone. It is written in the same transaction as the change that caused it
/// and sent later by <see cref="SendDueEmails"/>, so a crash between the two loses nothing. The sender marks the
/// messages the server accepted Sent several at a time, in one statement (ADR 042).
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public long Id { get; private set; }
    public string To { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string HtmlBody { get; private set; } = "";
    public string TextBody { get; private set; } = "";
    /// <summary>What the email is about (e.g. <c>account.confirm-email</c>), for lists and filters.</summary>
    public string Kind { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    public static OutboxMessage Create(EmailContent content, string to, DateTimeOffset now) => new()
    {
        To = to,
        Subject = content.Subject,
        HtmlBody = content.HtmlBody,
        TextBody = content.TextBody,
        Kind = content.Kind,
        CreatedAt = now,
        NextAttemptAt = now,
        Status = OutboxStatus.Pending,
    };

    /// <summary>Records a failed attempt and schedules the next one, or gives up after the last.</summary>
    public void MarkAttemptFailed(string error, DateTimeOffset now, RetrySchedule schedule)
    {
        Attempts++;
        LastError = error;
        var delay = schedule.DelayAfter(Attempts);
        if (delay is null)
        {
            Status = OutboxStatus.Failed;
            return;
        }

        NextAttemptAt = now + delay.Value;
    }

    /// <summary>An admin asks for the message to go out again (e.g. after fixing the SMTP settings).</summary>
    public void Resend(DateTimeOffset now)
    {
        Status = OutboxStatus.Pending;
        NextAttemptAt = now;
    }
}

/// <summary>The content of one email, produced by a template in <see cref="EmailTemplates"/>.</summary>
public sealed record EmailContent(string Kind, string Subject, string HtmlBody, string TextBody);

/// <summary>Exponential backoff: base, 2x base, 4x base ... up to a maximum number of attempts.</summary>
public sealed record RetrySchedule(TimeSpan BaseDelay, int MaxAttempts)
{
    public TimeSpan? DelayAfter(int attempts) =>
        attempts >= MaxAttempts ? null : BaseDelay * Math.Pow(2, attempts - 1);
}
