using Cashout.Portal.Email;
using MailKit.Security;

namespace Cashout.Portal.UnitTests.Email;

public sealed class EmailOptionsTests
{
    [Theory]
    [InlineData(false, 25, SecureSocketOptions.None)]
    [InlineData(false, 465, SecureSocketOptions.None)]
    [InlineData(true, 465, SecureSocketOptions.SslOnConnect)]
    [InlineData(true, 587, SecureSocketOptions.StartTls)]
    [InlineData(true, 25, SecureSocketOptions.StartTls)]
    public void SmtpSecurity_follows_SmtpEnableSsl_and_the_port(bool enableSsl, int port, SecureSocketOptions expected) =>
        Assert.Equal(expected, new EmailOptions { SmtpEnableSsl = enableSsl, SmtpPort = port }.SmtpSecurity);
}
