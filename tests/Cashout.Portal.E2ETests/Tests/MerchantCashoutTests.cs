using System.Globalization;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// The merchant's cashout flows on the shared demo merchant. Each test cancels what it requested (and any Pending
/// cashout a failed test left), so the seeded $5,000.00 available is where every test starts and ends.
/// </summary>
public sealed class MerchantCashoutTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Merchant_links_payoneer_requests_1000_sees_the_quote_and_cancels_it_from_history() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        var dashboard = new DashboardPage(page);
        await MerchantFlows.SignInReadyToCashOutAsync(page, name => session.ScreenshotAsync(name));
        await session.ScreenshotAsync("payment-methods");

        var form = new NewCashoutPage(page);
        await form.GotoAsync();
        await form.EnterAmountAsync("1,000.00");
        await Expect(form.QuoteFee("payoneer")).ToHaveTextAsync("$20.00");
        await Expect(form.QuoteNet("payoneer")).ToHaveTextAsync("$980.00");
        await session.ScreenshotAsync("cashout-new-quotes");
        await form.ReviewButton.ClickAsync();
        await Expect(form.ConfirmFee).ToHaveTextAsync("$20.00");
        await Expect(form.ConfirmNet).ToHaveTextAsync("$980.00");
        await Expect(form.ConfirmDestination).ToHaveTextAsync(MerchantFlows.PayeeEmail);
        await session.ScreenshotAsync("cashout-confirm");
        await form.ConfirmButton.ClickAsync();
        await Expect(form.Created).ToContainTextAsync("requested");
        await session.ScreenshotAsync("cashout-created");
        var id = await form.CreatedIdAsync();

        var history = new CashoutHistoryPage(page);
        await history.GotoAsync();
        await Expect(history.RowFor(id)).ToContainTextAsync("Pending");
        await session.ScreenshotAsync("cashout-history");
        await history.RowFor(id).GetByRole(AriaRole.Link, new() { Name = $"#{id}" }).ClickAsync();

        var details = new CashoutDetailsPage(page);
        await Expect(details.Status).ToHaveTextAsync("Pending");
        await Expect(details.Timeline).ToContainTextAsync("Requested: Pending");
        await session.ScreenshotAsync("cashout-details-pending");
        await details.CancelAsMerchantAsync();
        await Expect(details.Timeline).ToContainTextAsync("Pending → Cancelled");
        await session.ScreenshotAsync("cashout-details-cancelled");

        await dashboard.GotoAsync();
        await Expect(dashboard.Available("USD")).ToHaveTextAsync("$5,000.00");
        await Expect(dashboard.Reserved("USD")).ToHaveTextAsync("$0.00");
        await session.ScreenshotAsync("dashboard");
    });

    [Fact]
    public Task Merchant_sees_amount_below_minimum_when_typing_10_dollars() => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Merchant);
        var form = new NewCashoutPage(session.Page);
        await form.GotoAsync();

        await form.EnterAmountAsync("10.00");

        await Expect(form.AmountMessage).ToContainTextAsync("Amount below minimum");
        await Expect(form.AmountMessage).ToContainTextAsync("Minimum cashout to Payoneer is $50.00 (5000 cents)");
        await Expect(form.ReviewButton).ToBeDisabledAsync();
        await session.ScreenshotAsync("cashout-below-minimum");
    });

    [Fact]
    public Task Merchant_sees_pending_cashout_exists_when_requesting_a_second_one() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await MerchantFlows.SignInReadyToCashOutAsync(page);
        var first = await MerchantFlows.RequestCashoutAsync(page, "100");

        var form = new NewCashoutPage(page);
        await form.GotoAsync();
        await form.EnterAmountAsync("200");

        await Expect(form.Summary).ToContainTextAsync("Pending cashout exists");
        await Expect(form.ReviewButton).ToBeDisabledAsync();
        await session.ScreenshotAsync("cashout-pending-exists");

        var details = new CashoutDetailsPage(page);
        await details.GotoAsync(first);
        await details.CancelAsMerchantAsync();
    });

    [Fact]
    public Task Merchant_downloads_the_filtered_history_as_csv_with_the_rows_shown() => InBrowserAsync(async session =>
    {
        var page = session.Page;
        await MerchantFlows.SignInReadyToCashOutAsync(page);
        var id = await MerchantFlows.RequestCashoutAsync(page, "75.50");
        var details = new CashoutDetailsPage(page);
        await details.GotoAsync(id);
        await details.CancelAsMerchantAsync();

        var history = new CashoutHistoryPage(page);
        await history.GotoAsync();
        await Expect(history.RowFor(id)).ToBeVisibleAsync();
        var shown = await history.VisibleIdsAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => history.ExportLink.ClickAsync());
        var path = await download.PathAsync();

        var lines = (await File.ReadAllLinesAsync(path)).Where(line => line.Length > 0).ToList();
        Assert.StartsWith("Id,Created (UTC),Status,Method,Currency,Amount,Fee", lines[0]);
        var records = lines.Skip(1).Select(line => line.Split(',')).ToList();
        Assert.Equal(shown, records.Select(fields => long.Parse(fields[0], CultureInfo.InvariantCulture)));
        var exported = records.Single(fields => fields[0] == id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(["Cancelled", "Payoneer", "USD", "75.50", "1.51", "73.99"], exported[2..8]);
        Assert.EndsWith(".csv", download.SuggestedFilename);
    });
}
