using Microsoft.Extensions.Options;
using MimeKit;

namespace Cashout.Portal.Email;

/// <summary>
/// The way out of the outbox: an SMTP connection (MailKit), or in Development the pickup folder. A batch opens one
/// connection, sends its messages through it one after the other and disposes it at the end, so connecting and
/// logging in are paid once per batch rather than once per message.
/// </summary>
public sealed class EmailTransport(IOptions<EmailOptions> options, TimeProvider time)
{
    public IEmailConnection Open()
    {
        var settings = options.Value;
        return string.IsNullOrWhiteSpace(settings.PickupDirectory)
            ? new SmtpConnection(settings)
            : new PickupDirectoryConnection(settings.PickupDirectory);
    }

    /// <summary>The message as it goes out: plain text and HTML alternatives, from the portal's sender.</summary>
    /// <param name="messageId">
    /// Stable for one attempt of one outbox message, so the rare copy sent again after a crash (at least once, see
    /// <see cref="SendDueEmails"/>) carries the same Message-ID and mail clients can fold the two together.
    /// </param>
    public MimeMessage Compose(string to, string subject, string htmlBody, string textBody, string? messageId = null)
    {
        var settings = options.Value;
        var message = new MimeMessage
        {
            Subject = subject,
            Date = time.GetUtcNow(),
            Body = new BodyBuilder { TextBody = textBody, HtmlBody = htmlBody }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        if (messageId is not null)
        {
            message.MessageId = $"{messageId}@{settings.From[(settings.From.LastIndexOf('@') + 1)..]}";
        }

        return message;
    }
}

/// <summary>One way out, open for a batch: send many messages, then dispose.</summary>
public interface IEmailConnection : IAsyncDisposable
{
    /// <summary>
    /// Returns once the server has accepted the message (its reply to the end of DATA), or throws: a
    /// <see cref="MailServerUnavailableException"/> when no connection could be opened, anything else when this
    /// message was not accepted. After a failure the next call starts on a new connection.
    /// </summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The mail server could not be reached, secured or logged into: nothing can be sent until it can.</summary>
public sealed class MailServerUnavailableException(string message, Exception innerException) : IOException(message, innerException);
