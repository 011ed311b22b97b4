using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Cashout.Portal.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required, EmailAddress]
    public string From { get; set; } = "no-reply@cashout.test";

    [Required]
    public string FromName { get; set; } = "Cashout Portal";

    /// <summary>
    /// When set, messages are written as .eml files to this folder instead of going over the network
    /// (the Development default: the local mailbox at /dev/mail needs no SMTP server).
    /// </summary>
    public string? PickupDirectory { get; set; }

    [Required]
    public string SmtpHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>Encrypt the connection; see <see cref="SmtpSecurity"/> for what it means on the wire.</summary>
    public bool SmtpEnableSsl { get; set; }

    public string? SmtpUserName { get; set; }

    /// <summary>Never logged. Set it from the environment (Email__SmtpPassword), not in a committed file.</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>How long connecting, or one read or write on the connection, may take before the attempt fails.</summary>
    [Range(1, 300)]
    public int SmtpTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How many SMTP connections the outbox sender opens at most for one batch, each sending its own share of the
    /// messages; a small batch goes over one connection.
    /// </summary>
    [Range(1, 32)]
    public int SendParallelism { get; set; } = 4;

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(1, 3600)]
    public int RetryBaseDelaySeconds { get; set; } = 30;

    /// <summary>
    /// <see cref="SmtpEnableSsl"/> on the wire. Off: plain SMTP, even when the server offers STARTTLS
    /// (a relay on the same host or network with a self-signed certificate keeps working). On: TLS is required,
    /// never skipped: implicit TLS on port 465, STARTTLS on any other port, and the connection fails rather than
    /// send the login in clear when the server does not offer it.
    /// </summary>
    public SecureSocketOptions SmtpSecurity => (SmtpEnableSsl, SmtpPort) switch
    {
        (false, _) => SecureSocketOptions.None,
        (true, 465) => SecureSocketOptions.SslOnConnect,
        (true, _) => SecureSocketOptions.StartTls,
    };

    public RetrySchedule RetrySchedule => new(TimeSpan.FromSeconds(RetryBaseDelaySeconds), MaxAttempts);
}
