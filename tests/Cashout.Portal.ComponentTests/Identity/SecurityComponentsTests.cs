using Bunit;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components.Dialogs;
using Cashout.Portal.Identity.Passkeys;
using Cashout.Portal.Identity.Security;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cashout.Portal.ComponentTests.Identity;

/// <summary>The parts of /settings/security with logic of their own: the sessions, the passkeys and naming a passkey.</summary>
public sealed class SecurityComponentsTests : PortalTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Does_offer_to_sign_out_every_other_session_but_not_this_one_and_say_when_each_was_last_seen()
    {
        SessionRow? signedOut = null;
        var list = Render<SessionList>(p => p
            .Add(s => s.Sessions, [
                new SessionRow("a", "Chrome on Windows", "203.0.113.7", Now.AddDays(-2), Now, IsCurrent: true),
                new SessionRow("b", "Safari on iOS", "198.51.100.4", Now.AddDays(-1), Now.AddMinutes(-42), IsCurrent: false),
                new SessionRow("c", "Firefox on Linux", null, Now.AddDays(-9), Now.AddDays(-3), IsCurrent: false),
            ])
            .Add(s => s.Now, Now)
            .Add(s => s.OnSignOut, (SessionRow row) => signedOut = row));

        var items = list.FindAll("[data-testid=session]");
        Assert.Contains("This device", items[0].TextContent);
        Assert.Empty(items[0].QuerySelectorAll("button"));
        Assert.Contains("last seen 42 minutes ago", items[1].TextContent);
        Assert.Contains("Unknown address", items[2].TextContent);
        Assert.Contains("last seen 1 Dec 2026, 12:00 UTC", items[2].TextContent);

        items[1].QuerySelector("button")!.Click();

        Assert.Equal("b", signedOut?.Id);
        Assert.Equal("Sign out Safari on iOS at 198.51.100.4", items[1].QuerySelector("button")!.GetAttribute("aria-label"));
        Assert.False(EverywhereElse(list).HasAttribute("disabled"));
    }

    [Fact]
    public void Does_disable_sign_out_everywhere_else_and_say_why_when_this_is_the_only_session()
    {
        var list = Render<SessionList>(p => p
            .Add(s => s.Sessions, [new SessionRow("a", "Chrome on Windows", "203.0.113.7", Now, Now, IsCurrent: true)])
            .Add(s => s.Now, Now));

        Assert.True(EverywhereElse(list).HasAttribute("disabled"));
        Assert.Contains("You are signed in on this device only.", list.Markup);
    }

    [Fact]
    public void Does_explain_passkeys_when_there_are_none_and_stop_adding_at_the_limit()
    {
        var none = Render<PasskeyList>(p => p.Add(l => l.Passkeys, []));
        Assert.Contains("No passkeys yet.", none.Markup);
        Assert.False(AddButton(none).HasAttribute("disabled"));

        var full = Render<PasskeyList>(p => p.Add(l => l.Passkeys, [.. Enumerable.Range(1, PasskeySignIn.MaxPerUser)
            .Select(i => new PasskeyRow($"id{i}", $"Key {i}", Now, IsSynced: i == 1))]));

        Assert.Equal(PasskeySignIn.MaxPerUser, full.FindAll("[data-testid=passkey]").Count);
        Assert.True(AddButton(full).HasAttribute("disabled"));
        Assert.Contains($"You have {PasskeySignIn.MaxPerUser} passkeys", full.Markup);
        Assert.Contains("Synced", full.FindAll("[data-testid=passkey]")[0].TextContent);
        Assert.DoesNotContain("Synced", full.FindAll("[data-testid=passkey]")[1].TextContent);
    }

    [Fact]
    public void Does_name_the_passkey_each_button_acts_on()
    {
        PasskeyRow? renamed = null;
        PasskeyRow? removed = null;
        var list = Render<PasskeyList>(p => p
            .Add(l => l.Passkeys, [new PasskeyRow("one", "Work laptop", Now, false), new PasskeyRow("two", "YubiKey", Now, false)])
            .Add(l => l.OnRename, (PasskeyRow row) => renamed = row)
            .Add(l => l.OnRemove, (PasskeyRow row) => removed = row));

        list.Find("button[aria-label='Rename YubiKey']").Click();
        list.Find("button[aria-label='Remove Work laptop']").Click();

        Assert.Equal(("two", "one"), (renamed?.Id, removed?.Id));
    }

    [Fact]
    public async Task Does_keep_the_name_dialog_open_with_the_rule_when_the_name_is_empty_and_return_it_trimmed_otherwise()
    {
        var host = RenderWithProviders(_ => { });
        var answer = Services.GetRequiredService<IDialogService>().OpenAsync<PasskeyNameDialog, string>("Passkey name", new DialogParameters<PasskeyNameDialog>
        {
            { d => d.Prompt, "Name your new passkey." },
            { d => d.Name, "Chrome on Linux" },
        });
        host.WaitForElement("[role=dialog]");
        Assert.Equal("Chrome on Linux", host.Find("#passkey-name").GetAttribute("value"));

        host.Find("#passkey-name").Input("  ");
        await Save(host).ClickAsync(new());

        Assert.Equal("Give the passkey a name, such as the device it is on.", host.Find("#passkey-name-message").TextContent.Trim());
        Assert.False(answer.IsCompleted);

        host.Find("#passkey-name").Input("  Work laptop ");
        await Save(host).ClickAsync(new());

        Assert.Equal("Work laptop", await answer.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static AngleSharp.Dom.IElement EverywhereElse(IRenderedComponent<SessionList> list) =>
        list.FindAll("button").Single(b => b.TextContent.Contains("Sign out everywhere else", StringComparison.Ordinal));

    private static AngleSharp.Dom.IElement AddButton(IRenderedComponent<PasskeyList> list) =>
        list.FindAll("button").Single(b => b.TextContent.Contains("Add a passkey", StringComparison.Ordinal));

    private static AngleSharp.Dom.IElement Save(IRenderedComponent<IComponent> host) =>
        host.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Save name");
}
