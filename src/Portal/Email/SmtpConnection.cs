using MailKit.Net.Smtp;

namespace Cashout.Portal.Email;

/// <summary>
/// One SMTP connection (MailKit), opened on the first message and kept for the next ones. Connecting, TLS and the
/// login happen once; a failure drops the connection and the next message opens a new one.
/// </summary>
internal sealed class SmtpConnection(EmailOptions settings) : IEmailConnection
{
    private readonly SmtpClient client = new() { Timeout = settings.SmtpTimeoutSeconds * 1000 };

    public async Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken)
    {
        if (!client.IsConnected)
        {
            await OpenAsync(cancellationToken);
        }

        try
        {
            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException)
        {
            // The server refused this message (a recipient, the size...) and said so: the session is still good.
            throw;
        }
        catch
        {
            // A broken connection, a protocol error or a timeout: in what state the server is, nobody knows.
            await DropAsync();
            throw;
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity, cancellationToken);
            if (!string.IsNullOrEmpty(settings.SmtpUserName))
            {
                await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? "", cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await DropAsync();
            // MailKit's messages name the host, the port and the server's reply; never the password.
            throw new MailServerUnavailableException($"Could not open an SMTP session with {settings.SmtpHost}:{settings.SmtpPort}: {ex.Message}", ex);
        }
    }

    private async Task DropAsync()
    {
        try
        {
            await client.DisconnectAsync(quit: false, CancellationToken.None);
        }
        catch (Exception)
        {
            // The socket is closed either way; there is nothing left to tell the server.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            try
            {
                // QUIT politely; the messages were accepted already, so a failure here changes nothing.
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(settings.SmtpTimeoutSeconds));
                await client.DisconnectAsync(quit: true, quit.Token);
            }
            catch (Exception)
            {
            }
        }

        client.Dispose();
    }
}
