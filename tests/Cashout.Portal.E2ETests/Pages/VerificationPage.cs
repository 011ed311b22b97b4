using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/verification: the merchant's verification steps and the business-details form (a static server-rendered form).</summary>
public sealed class VerificationPage(IPage page)
{
    public const string Path = "verification";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Account verification", Level = 1 });

    public ILocator Status => page.GetByTestId("verification-status");

    /// <summary>The banner every merchant page shows until the account is Verified (MainLayout).</summary>
    public static ILocator Banner(IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "Account verification" });

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
    }

    public async Task SubmitAsync(string legalName, string countryName, string contact, string phone)
    {
        await page.GetByLabel("Legal name", new() { Exact = true }).FillAsync(legalName);
        await page.GetByLabel("Country of registration", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = countryName });
        await page.GetByLabel("Contact person", new() { Exact = true }).FillAsync(contact);
        await page.GetByLabel("Contact phone", new() { Exact = true }).FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
    }
}
