using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/cashouts/new: amount, currency, method, the live quotes, the rules' messages, review and confirm.</summary>
public sealed class NewCashoutPage(IPage page)
{
    public const string Path = "cashouts/new";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Request cashout", Level = 1 });

    public ILocator Amount => page.GetByLabel("Amount", new() { Exact = true });

    public ILocator AmountMessage => page.GetByTestId("amount-message");

    public ILocator Summary => page.GetByTestId("cashout-summary");

    public ILocator Quote(string method) => page.GetByTestId($"quote-{method}");

    public ILocator QuoteFee(string method) => Quote(method).GetByTestId("quote-fee");

    public ILocator QuoteNet(string method) => Quote(method).GetByTestId("quote-net");

    public ILocator FullBalanceButton => page.GetByRole(AriaRole.Button, new() { Name = "Cash out the full available balance" });

    public ILocator ReviewButton => page.GetByRole(AriaRole.Button, new() { Name = "Review cashout" });

    public ILocator BackButton => page.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true });

    public ILocator ConfirmButton => page.GetByRole(AriaRole.Button, new() { Name = "Confirm cashout" });

    public ILocator ConfirmHeading => page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your cashout", Level = 2 });

    public ILocator ConfirmAmount => page.GetByTestId("confirm-amount");

    public ILocator ConfirmFee => page.GetByTestId("confirm-fee");

    public ILocator ConfirmNet => page.GetByTestId("confirm-net");

    public ILocator ConfirmDestination => page.GetByTestId("confirm-destination");

    public ILocator Created => page.GetByTestId("cashout-created");

    public ILocator CreatedHeading => Created.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Cashout #\d+ requested$") });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitUntilInteractiveAsync(Amount);
    }

    public async Task EnterAmountAsync(string amount) => await Amount.FillAsync(amount);

    /// <summary>Reviews and confirms; returns the new cashout's id from the result's link.</summary>
    public async Task<long> ReviewAndConfirmAsync()
    {
        await Expect(ReviewButton).ToBeEnabledAsync();
        await ReviewButton.ClickAsync();
        await ConfirmButton.ClickAsync();
        return await CreatedIdAsync();
    }

    /// <summary>The id in the result's heading, "Cashout #N requested".</summary>
    public async Task<long> CreatedIdAsync()
    {
        var text = await CreatedHeading.TextContentAsync() ?? "";
        var digits = new string(text.SkipWhile(c => c != '#').Skip(1).TakeWhile(char.IsDigit).ToArray());
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
