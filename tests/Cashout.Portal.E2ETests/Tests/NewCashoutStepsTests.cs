using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// The steps of /cashouts/new with the keyboard and across a reload, at a laptop's and a phone's width. Each test
/// has a merchant of its own (verified, funded, Payoneer linked), so the shared demo merchant's balance is untouched.
/// </summary>
public sealed class NewCashoutStepsTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public Task Merchant_cashes_out_the_full_balance_with_the_keyboard_and_the_focus_follows_each_step(int width, int height) =>
        OnTheFormOfANewMerchantAsync(123_456, width, height, async (session, form) =>
        {
            var page = session.Page;
            await form.FullBalanceButton.PressAsync("Enter");
            await Expect(form.Amount).ToHaveValueAsync("1234.56");
            // 2% of $1,234.56 comes out of the amount: the whole balance is debited.
            await Expect(form.QuoteNet("payoneer")).ToHaveTextAsync("$1,209.87");
            await Expect(form.ReviewButton).ToBeEnabledAsync();
            await session.ScreenshotAsync($"cashout-full-balance-{width}");

            await form.ReviewButton.PressAsync("Enter");
            await Expect(form.ConfirmHeading).ToBeFocusedAsync();
            Assert.Equal("Confirm your cashout", await ActiveElementTextAsync(page));
            await session.ScreenshotAsync($"cashout-review-focused-{width}");

            await form.ConfirmButton.PressAsync("Enter");
            await Expect(form.CreatedHeading).ToBeFocusedAsync();
            Assert.Matches(@"^Cashout #\d+ requested$", await ActiveElementTextAsync(page));
            await session.ScreenshotAsync($"cashout-result-focused-{width}");

            var dashboard = new DashboardPage(page);
            await dashboard.GotoAsync();
            await Expect(dashboard.Available("USD")).ToHaveTextAsync("$0.00");
            await Expect(dashboard.Reserved("USD")).ToHaveTextAsync("$1,234.56");
        });

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public Task Merchant_reloads_the_review_step_and_finds_the_same_amount_method_and_currency(int width, int height) =>
        OnTheFormOfANewMerchantAsync(50_000, width, height, async (session, form) =>
        {
            var page = session.Page;
            await form.EnterAmountAsync("250.00");
            await Expect(form.QuoteFee("payoneer")).ToHaveTextAsync("$5.00");
            await form.ReviewButton.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/cashouts/new\?amount=250\.00&currency=USD&method=payoneer&step=review$"));

            await page.ReloadAsync();

            await Expect(form.ConfirmHeading).ToBeVisibleAsync();
            await Expect(form.ConfirmAmount).ToHaveTextAsync("$250.00");
            await Expect(form.ConfirmFee).ToHaveTextAsync("$5.00");
            await Expect(form.ConfirmDestination).ToHaveTextAsync("payee@example.com");
            await session.ScreenshotAsync($"cashout-review-reloaded-{width}");
            await BlazorCircuit.WaitUntilInteractiveAsync(form.BackButton);
            await form.BackButton.ClickAsync();
            await Expect(form.Amount).ToHaveValueAsync("250.00");
            await Expect(form.Amount).ToBeFocusedAsync();

            // Values that mean nothing are left out: an empty form, no error, no review step.
            await page.GotoAsync("cashouts/new?amount=ten&currency=XYZ&method=paypal&step=review");
            await Expect(form.Heading).ToBeVisibleAsync();
            await Expect(form.Amount).ToHaveValueAsync("");
            await Expect(form.AmountMessage).ToHaveTextAsync("Available: $500.00");
            await Expect(form.ConfirmHeading).ToHaveCountAsync(0);
        });

    /// <summary>A new merchant with <paramref name="availableCents"/> available signs in at the given size and opens the form.</summary>
    private async Task OnTheFormOfANewMerchantAsync(
        long availableCents, int width, int height, Func<BrowserSession, NewCashoutPage, Task> body, [CallerMemberName] string testName = "")
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (merchant, _) = await data.CreateReadyMerchantAsync(availableCents);

        await InBrowserAsync(async session =>
        {
            var page = session.Page;
            await page.SetViewportSizeAsync(width, height);
            // PortalData's merchants have the demo users' password.
            await new LoginPage(page).SignInAsDemoUserAsync(merchant);
            var form = new NewCashoutPage(page);
            await form.GotoAsync();
            await body(session, form);
        }, testName);
    }

    private static Task<string> ActiveElementTextAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.activeElement?.textContent?.trim() ?? ''");
}
