using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Email;

/// <summary>Delivers one message over SMTP (System.Net.Mail: MailKit is not on this registry), as text and HTML.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options)
{
    public async Task SendAsync(string to, string subject, string htmlBody, string textBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From, settings.FromName),
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
            Body = textBody,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.To.Add(new MailAddress(to));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(htmlBody, Encoding.UTF8, "text/html"));

        using var client = CreateClient(settings);
        await client.SendMailAsync(message, cancellationToken);
    }

    private static SmtpClient CreateClient(EmailOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            return new SmtpClient
            {
                DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
                PickupDirectoryLocation = Path.GetFullPath(settings.PickupDirectory),
            };
        }

        var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort)
        {
            EnableSsl = settings.SmtpEnableSsl,
            Timeout = settings.SmtpTimeoutSeconds * 1000,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(settings.SmtpUserName))
        {
            client.Credentials = new NetworkCredential(settings.SmtpUserName, settings.SmtpPassword);
        }

        return client;
    }
}
