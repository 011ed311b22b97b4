namespace Cashout.Portal.E2ETests.Pages;

/// <summary>The steps many merchant tests start with, on the demo merchant every test shares.</summary>
public static class MerchantFlows
{
    public const string PayeeEmail = "payouts@merchant.test";

    /// <summary>Signs in as the demo merchant, cancels a Pending cashout a failed test may have left, and links Payoneer if needed.</summary>
    public static async Task SignInReadyToCashOutAsync(IPage page, Func<string, Task>? screenshot = null)
    {
        await new LoginPage(page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        await new DashboardPage(page).CancelPendingCashoutsAsync();
        await new PaymentMethodsPage(page).EnsurePayoneerLinkedAsync(PayeeEmail, screenshot);
    }

    /// <summary>Requests a Payoneer cashout of <paramref name="amount"/> (major units) through the form; returns its id.</summary>
    public static async Task<long> RequestCashoutAsync(IPage page, string amount)
    {
        var form = new NewCashoutPage(page);
        await form.GotoAsync();
        await form.EnterAmountAsync(amount);
        return await form.ReviewAndConfirmAsync();
    }
}
