using Bunit;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components.Dialogs;
using Cashout.Portal.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.ComponentTests.Components.Layout;

/// <summary>An exception a page does not handle shows the designed panel in the page's place; "Try again" brings the page back.</summary>
public sealed class PageErrorBoundaryTests : PortalTestContext
{
    [Fact]
    public void Does_show_the_error_panel_instead_of_the_page_when_an_action_throws()
    {
        var layout = RenderPage(new InvalidOperationException("a secret detail"));

        layout.Find("button#act").Click();

        var panel = layout.Find("[role=alert]");
        Assert.Equal(["Something went wrong", PageErrorBoundary.UnexpectedMessage, "Try again", "Back to the dashboard"], panel.VisibleTexts());
        Assert.DoesNotContain("secret", layout.Markup, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("button#act"));
    }

    [Fact]
    public void Does_say_the_database_is_busy_when_the_exception_is_a_busy_database()
    {
        var layout = RenderPage(new SqliteException("database is locked", SQLitePCL.raw.SQLITE_BUSY));

        layout.Find("button#act").Click();

        Assert.Contains(PageWrites.BusyMessage, layout.Find("[role=alert]").VisibleTexts());
    }

    [Fact]
    public void Does_bring_the_page_back_when_Try_again_is_pressed()
    {
        var layout = RenderPage(new InvalidOperationException("boom"));
        layout.Find("button#act").Click();

        layout.FindAll("button").Single(b => b.TextContent.Trim() == "Try again").Click();

        Assert.Empty(layout.FindAll("[role=alert]"));
        Assert.Equal("Act", layout.Find("button#act").TextContent);
    }

    private IRenderedComponent<PageErrorBoundary> RenderPage(Exception failure) =>
        Render<PageErrorBoundary>(parameters => parameters.Add(p => p.ChildContent, builder =>
        {
            builder.OpenComponent<FailingPage>(0);
            builder.AddComponentParameter(1, nameof(FailingPage.Failure), failure);
            builder.CloseComponent();
        }));

    /// <summary>A page whose only action throws, as a use case's unexpected exception would.</summary>
    private sealed class FailingPage : ComponentBase
    {
        [Parameter]
        public Exception Failure { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "act");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw Failure));
            builder.AddContent(3, "Act");
            builder.CloseElement();
        }
    }
}
