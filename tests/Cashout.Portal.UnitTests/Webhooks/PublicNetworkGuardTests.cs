using System.Net;
using Cashout.Portal.Webhooks;

namespace Cashout.Portal.UnitTests.Webhooks;

public sealed class PublicNetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Refuses_the_address_when_it_is_loopback_private_link_local_or_reserved(string address) =>
        Assert.False(PublicNetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("::ffff:8.8.8.8")]
    public void Allows_the_address_when_it_is_public(string address) =>
        Assert.True(PublicNetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://localhost/hook", true)]
    [InlineData("https://api.localhost/hook", true)]
    [InlineData("https://127.0.0.1:8443/hook", true)]
    [InlineData("https://169.254.169.254/latest/meta-data", true)]
    [InlineData("https://[::1]/hook", true)]
    [InlineData("https://[fd00::5]/hook", true)]
    [InlineData("https://hooks.example.com/cashouts", false)]
    [InlineData("https://93.184.215.14/hook", false)]
    public void Names_a_non_public_host_when_the_url_points_at_this_machine_or_a_private_address(string url, bool nonPublic) =>
        Assert.Equal(nonPublic, PublicNetworkGuard.NamesNonPublicHost(new Uri(url)));
}
