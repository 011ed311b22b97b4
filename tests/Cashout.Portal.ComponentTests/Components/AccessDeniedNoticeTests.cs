using Bunit;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components;

namespace Cashout.Portal.ComponentTests.Components;

public sealed class AccessDeniedNoticeTests : PortalTestContext
{
    public AccessDeniedNoticeTests() => SignIn(TestUsers.Merchant("shop@example.test"));

    [Fact]
    public void Does_show_Access_denied_as_the_page_heading_when_rendered()
    {
        var notice = Render<AccessDeniedNotice>();

        // Routes.razor moves focus to the h1 after navigation, so the heading must be the page's h1.
        var heading = Assert.Single(notice.FindAll("h1"));
        Assert.Equal("Access denied", heading.TextContent.Trim());
    }

    [Fact]
    public void Does_link_back_to_the_dashboard_when_rendered()
    {
        var notice = Render<AccessDeniedNotice>();

        Assert.Equal("http://localhost/", notice.Nodes.Link("Back to the dashboard").Target().ToString());
    }
}
