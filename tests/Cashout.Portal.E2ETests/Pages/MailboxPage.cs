using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/dev/mail: the Development mailbox, an interactive page listing every email with working links.</summary>
public sealed class MailboxPage(IPage page)
{
    public ILocator Messages => page.GetByRole(AriaRole.Navigation, new() { Name = "Messages" });

    public async Task GotoAsync()
    {
        await page.GotoAsync("dev/mail");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mailbox", Level = 1 })).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>Opens the newest message to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<ILocator> OpenAsync(string to, string subject)
    {
        var item = Messages.GetByRole(AriaRole.Button).Filter(new() { HasText = to }).Filter(new() { HasText = subject }).First;
        await BlazorCircuit.WaitUntilInteractiveAsync(item);
        await item.ClickAsync();
        var message = page.GetByRole(AriaRole.Article).Filter(new() { HasText = to });
        await Expect(message).ToBeVisibleAsync();
        return message;
    }
}
