using Bunit;
using Cashout.Portal.Balances;
using Cashout.Portal.ComponentTests.Infrastructure;

namespace Cashout.Portal.ComponentTests.Balances;

public sealed class LinkPayoutMethodPromptTests : PortalTestContext
{
    [Fact]
    public void Does_point_to_the_payment_methods_page_when_the_merchant_is_verified_and_has_no_method_linked()
    {
        var prompt = RenderPrompt(isVerified: true, hasLinkedMethod: false);

        var banner = prompt.Find("[data-testid=link-method-prompt]");
        Assert.Equal("Next step", banner.GetAttribute("aria-label"));
        Assert.Equal("Your account is verified. Next, link a payout method.", banner.QuerySelector("strong")!.TextContent);
        Assert.Equal("http://localhost/payment-methods", prompt.Nodes.Link("Link a payout method").Target().ToString());
    }

    [Fact]
    public void Does_say_nothing_when_the_merchant_has_a_method_linked()
    {
        var prompt = RenderPrompt(isVerified: true, hasLinkedMethod: true);

        Assert.Empty(prompt.Nodes.VisibleTexts());
    }

    [Fact]
    public void Does_leave_the_next_step_to_the_verification_banner_when_the_merchant_is_not_verified()
    {
        var prompt = RenderPrompt(isVerified: false, hasLinkedMethod: false);

        Assert.Empty(prompt.Nodes.VisibleTexts());
    }

    private IRenderedComponent<LinkPayoutMethodPrompt> RenderPrompt(bool isVerified, bool hasLinkedMethod) =>
        Render<LinkPayoutMethodPrompt>(p => p.Add(c => c.IsVerified, isVerified).Add(c => c.HasLinkedMethod, hasLinkedMethod));
}
