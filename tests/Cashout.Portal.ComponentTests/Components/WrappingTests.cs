using Cashout.Portal.Components;

namespace Cashout.Portal.ComponentTests.Components;

public sealed class WrappingTests
{
    [Theory]
    [InlineData("payouts@merchant.example.com", "payouts<wbr>@merchant<wbr>.example<wbr>.com")]
    [InlineData("TI-0001", "TI-<wbr>0001")]
    [InlineData("<b>&x@y", "&lt;b&gt;&amp;x<wbr>@y")]
    public void Does_let_an_address_wrap_before_its_at_sign_and_dots_and_encodes_the_rest(string text, string markup)
    {
        Assert.Equal(markup, Wrapping.AtMarks(text).Value);
    }
}
