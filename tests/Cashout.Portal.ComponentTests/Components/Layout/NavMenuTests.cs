using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components.Layout;
using Microsoft.Extensions.Hosting;

namespace Cashout.Portal.ComponentTests.Components.Layout;

public sealed class NavMenuTests : PortalTestContext
{
    [Fact]
    public async Task Does_show_the_Merchant_section_and_no_Back_office_when_the_user_is_a_merchant()
    {
        var nav = await RenderAsync(TestUsers.Merchant("shop@example.test"));

        Assert.Equal(["Merchant", "Dashboard", "Request cashout", "Cashouts", "Payment methods", "Verification", "API settings", "Account", "Profile and security"], nav.VisibleTexts());
        Assert.Equal("http://localhost/", nav.Link("Dashboard").Target().ToString());
        Assert.Equal("http://localhost/cashouts/new", nav.Link("Request cashout").Target().ToString());
        Assert.Equal("http://localhost/cashouts", nav.Link("Cashouts").Target().ToString());
        Assert.Equal("http://localhost/payment-methods", nav.Link("Payment methods").Target().ToString());
        Assert.Equal("http://localhost/verification", nav.Link("Verification").Target().ToString());
        Assert.Equal("http://localhost/settings/security", nav.Link("Profile and security").Target().ToString());
    }

    [Fact]
    public async Task Does_show_Back_office_with_every_admin_page_and_no_Merchant_section_when_the_user_is_an_admin()
    {
        var nav = await RenderAsync(TestUsers.Admin("ops@example.test"));

        Assert.Equal(["Back office", "Cashouts", "Merchants", "Declines", "Users", "Audit", "Jobs", "Emails", "Account", "Profile and security"], nav.VisibleTexts());
        Assert.Equal("http://localhost/admin/cashouts", nav.Link("Cashouts").Target().ToString());
        Assert.Equal("http://localhost/admin/merchants", nav.Link("Merchants").Target().ToString());
        Assert.Equal("http://localhost/admin/declines", nav.Link("Declines").Target().ToString());
        Assert.Equal("http://localhost/admin/users", nav.Link("Users").Target().ToString());
        Assert.Equal("http://localhost/admin/audit", nav.Link("Audit").Target().ToString());
        Assert.Equal("http://localhost/admin/jobs", nav.Link("Jobs").Target().ToString());
        Assert.Equal("http://localhost/admin/emails", nav.Link("Emails").Target().ToString());
    }

    [Fact]
    public async Task Does_show_no_sections_when_the_user_is_anonymous()
    {
        var nav = await RenderAsync(TestUsers.Anonymous);

        Assert.Empty(nav.VisibleTexts());
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Staging", false)]
    [InlineData("Production", false)]
    public async Task Does_show_the_Development_mailbox_only_when_the_environment_is_Development(string environment, bool shown)
    {
        Environment.EnvironmentName = environment;

        var nav = await RenderAsync(TestUsers.Merchant("shop@example.test"));

        Assert.Equal(shown, nav.VisibleTexts().Contains("Development"));
        Assert.Equal(shown, nav.VisibleTexts().Contains("Mailbox"));
        if (shown)
        {
            Assert.Equal("http://localhost/dev/mail", nav.Link("Mailbox").Target().ToString());
        }
    }

    [Fact]
    public async Task Does_show_the_Development_mailbox_when_the_user_is_anonymous_in_Development()
    {
        // The mailbox is where a developer reads the confirmation email before they can sign in.
        Environment.EnvironmentName = Environments.Development;

        var nav = await RenderAsync(TestUsers.Anonymous);

        Assert.Equal(["Development", "Mailbox"], nav.VisibleTexts());
    }

    private Task<INodeList> RenderAsync(ClaimsPrincipal user)
    {
        SignIn(user);
        return Task.FromResult(Render<NavMenu>().Nodes);
    }
}
