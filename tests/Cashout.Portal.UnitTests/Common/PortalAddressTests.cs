using Cashout.Portal.Common;

namespace Cashout.Portal.UnitTests.Common;

public sealed class PortalAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/")]
    [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443/")]
    public void Choose_returns_a_callable_root_when_the_server_listens_on_one_address(string listening, string expected) =>
        Assert.Equal(new Uri(expected), PortalAddress.Choose([listening]));

    [Fact]
    public void Choose_prefers_plain_http_when_the_server_also_listens_on_https() =>
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), PortalAddress.Choose(["https://127.0.0.1:8443", "http://127.0.0.1:8080"]));

    [Fact]
    public void Choose_asks_for_Portal_PublicBaseUrl_when_the_server_reports_no_address()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PortalAddress.Choose([]));

        Assert.Contains("Portal:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }
}
