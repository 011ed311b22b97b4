using System.ComponentModel.DataAnnotations;

namespace Cashout.Portal.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required, EmailAddress]
    public string From { get; set; } = "no-reply@cashout.test";

    /// <summary>Where the portal is reached from outside: links in emails start with it.</summary>
    [Required, Url]
    public string LinkBaseUrl { get; set; } = "http://127.0.0.1:5080";

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

    public bool SmtpEnableSsl { get; set; }

    public string? SmtpUserName { get; set; }

    /// <summary>Never logged. Set it from the environment (Email__SmtpPassword), not in a committed file.</summary>
    public string? SmtpPassword { get; set; }

    [Range(1, 300)]
    public int SmtpTimeoutSeconds { get; set; } = 30;

    /// <summary>How many messages the outbox sender has on the wire at once.</summary>
    [Range(1, 32)]
    public int SendParallelism { get; set; } = 4;

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(1, 3600)]
    public int RetryBaseDelaySeconds { get; set; } = 30;

    public RetrySchedule RetrySchedule => new(TimeSpan.FromSeconds(RetryBaseDelaySeconds), MaxAttempts);
}
