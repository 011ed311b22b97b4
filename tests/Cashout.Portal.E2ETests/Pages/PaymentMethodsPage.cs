using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/payment-methods: one card per method with Link/Unlink; linking goes through the step-up page and a dialog.</summary>
public sealed class PaymentMethodsPage(IPage page)
{
    public const string Path = "payment-methods";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Payment methods", Level = 1 });

    public ILocator Card(string method) => page.GetByTestId($"method-{method}");

    public ILocator LinkButton(string label) => page.GetByRole(AriaRole.Button, new() { Name = $"Link {label}", Exact = true });

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    /// <summary>Clicks Link for the method, re-authenticates with the password when asked, and waits for the dialog.</summary>
    public async Task OpenLinkDialogAsync(string label, Func<string, Task>? screenshot = null, string password = DemoUsers.Password)
    {
        var link = LinkButton(label);
        await BlazorCircuit.WaitUntilInteractiveAsync(link);
        await link.ClickAsync();
        // Without a recent step-up the click leads to the step-up page; with one, straight to the dialog.
        var stepUp = new StepUpPage(page);
        await Expect(stepUp.Heading.Or(Dialog)).ToBeVisibleAsync();
        if (await stepUp.Heading.IsVisibleAsync())
        {
            if (screenshot is not null)
            {
                await screenshot("step-up");
            }

            await stepUp.ConfirmWithPasswordAsync(password);
        }

        // Back on the page, the dialog opens by itself for the method the step-up was for.
        await Expect(Dialog).ToBeVisibleAsync();
    }

    /// <summary>Links Payoneer unless it is linked already: Link, step-up with the password, the dialog, Done.</summary>
    public async Task EnsurePayoneerLinkedAsync(string payeeEmail, Func<string, Task>? screenshot = null, string password = DemoUsers.Password)
    {
        await GotoAsync();
        if (await Card("payoneer").GetByText("Linked", new() { Exact = true }).CountAsync() > 0)
        {
            return;
        }

        await OpenLinkDialogAsync("Payoneer", screenshot, password);
        await Dialog.GetByLabel("Payee email").FillAsync(payeeEmail);
        if (screenshot is not null)
        {
            await screenshot("link-payoneer-dialog");
        }

        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Link Payoneer", Exact = true }).ClickAsync();
        await Expect(Dialog.GetByTestId("link-result")).ToContainTextAsync("Payoneer linked");
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(Card("payoneer")).ToContainTextAsync(payeeEmail);
    }
}
