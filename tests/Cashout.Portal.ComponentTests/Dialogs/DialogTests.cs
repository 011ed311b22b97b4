using Bunit;
using Cashout.Portal.Admin.Cashouts;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components.Dialogs;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cashout.Portal.ComponentTests.Dialogs;

/// <summary>The hold and cancel reason dialog, and the confirmation every page uses, as an admin or merchant meets them.</summary>
public sealed class DialogTests : PortalTestContext
{
    [Fact]
    public async Task Does_refuse_an_empty_reason_and_stay_open_when_the_admin_confirms_a_hold_without_one()
    {
        var host = RenderWithProviders(_ => { });
        var answer = OpenReasonDialog(destructive: false);

        host.WaitForElement("[role=dialog]");
        host.Find("#admin-reason").Input("   ");
        await ConfirmButton(host).ClickAsync(new());

        Assert.Equal("A reason is required.", host.Find("#admin-reason-message").TextContent.Trim());
        Assert.Equal("true", host.Find("#admin-reason").GetAttribute("aria-invalid"));
        Assert.False(answer.IsCompleted);
        Assert.Single(host.FindAll("[role=dialog]"));
    }

    [Fact]
    public async Task Does_return_the_trimmed_reason_and_close_when_the_admin_gives_one()
    {
        var host = RenderWithProviders(_ => { });
        var answer = OpenReasonDialog(destructive: true);

        host.WaitForElement("[role=dialog]");
        host.Find("#admin-reason").Input("  Payee name does not match  ");
        await ConfirmButton(host).ClickAsync(new());

        Assert.Equal("Payee name does not match", await answer.WaitAsync(TimeSpan.FromSeconds(5)));
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[role=dialog]")));
    }

    [Fact]
    public void Does_paint_a_destructive_action_red_on_the_right_and_the_way_back_on_the_left()
    {
        var host = RenderWithProviders(_ => { });
        _ = Services.GetRequiredService<IDialogService>().ConfirmAsync("Cancel cashout", "Cancel cashout #7?", "Cancel cashout", cancelText: "Keep it", destructive: true);

        var buttons = host.WaitForElements(".mud-dialog-actions button");
        Assert.Equal(["Keep it", "Cancel cashout"], buttons.Select(b => b.TextContent.Trim()));
        Assert.Contains("mud-button-filled-error", buttons[1].ClassName);
    }

    [Fact]
    public async Task Does_answer_no_when_the_person_steps_back()
    {
        var host = RenderWithProviders(_ => { });
        var answer = Services.GetRequiredService<IDialogService>().ConfirmAsync("Release cashout #7", "Release it?", "Release");

        var back = host.WaitForElements(".mud-dialog-actions button")[0];
        await back.ClickAsync(new());

        Assert.False(await answer.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static AngleSharp.Dom.IElement ConfirmButton(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host) =>
        host.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Put on hold");

    private Task<string?> OpenReasonDialog(bool destructive) =>
        Services.GetRequiredService<IDialogService>().OpenAsync<ReasonDialog, string>("Put cashout #7 on hold", new DialogParameters<ReasonDialog>
        {
            { d => d.Prompt, "$50.00 stays reserved." },
            { d => d.ConfirmText, "Put on hold" },
            { d => d.Destructive, destructive },
        });
}
