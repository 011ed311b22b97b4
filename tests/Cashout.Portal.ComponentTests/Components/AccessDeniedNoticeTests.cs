using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components;

namespace Cashout.Portal.ComponentTests.Components;

public sealed class AccessDeniedNoticeTests : IAsyncDisposable
{
    private readonly ComponentRenderer renderer = new() { User = TestUsers.Merchant("shop@example.test") };

    [Fact]
    public async Task Does_show_Access_denied_as_the_page_heading_when_rendered()
    {
        var notice = await renderer.RenderAsync<AccessDeniedNotice>();

        // Routes.razor moves focus to the h1 after navigation, so the heading must be the page's h1.
        var heading = Assert.Single(notice.QuerySelectorAll("h1"));
        Assert.Equal("Access denied", heading.TextContent.Trim());
    }

    [Fact]
    public async Task Does_link_back_to_the_dashboard_when_rendered()
    {
        var notice = await renderer.RenderAsync<AccessDeniedNotice>();

        Assert.Equal("http://localhost/", notice.Link("Back to the dashboard").Target().ToString());
    }

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}
