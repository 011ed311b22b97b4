using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>The payout pipeline seen by a merchant: the jobs, the sandbox provider and live updates together.</summary>
public sealed class PayoutPipelineTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public async Task Merchant_watches_a_cashout_become_Completed_without_reloading_and_gets_every_stage_email()
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (merchant, cashoutId) = await data.RequestCashoutForNewMerchantAsync(10_000, reviewed: false);

        await InBrowserAsync(async session =>
        {
            var page = session.Page;
            var login = new LoginPage(page);
            await login.GotoAsync();
            await login.SignInAsync(merchant, DemoUsers.Password);
            await new ShellPage(page).ExpectSignedInAsAsync(merchant);

            var details = new CashoutDetailsPage(page);
            await details.GotoAsync(cashoutId);
            await Expect(details.Status).ToHaveTextAsync("Pending");
            await page.EvaluateAsync("() => window.__sameDocument = true");

            await data.EndReviewAsync(cashoutId);

            // Submit job -> sandbox accepts -> Processing; sandbox pays and calls back -> Completed, pushed to this page.
            await Expect(details.Status).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
            await Expect(details.Timeline).ToContainTextAsync("Processing");
            await session.ScreenshotAsync("cashout-completed-live");

            await data.WaitForSentEmailsAsync(merchant, 4, TimeSpan.FromSeconds(60));
            var mailbox = new MailboxPage(page);
            await mailbox.GotoAsync();
            foreach (var stage in new[] { "Cashout requested", "Cashout processing", "Cashout completed" })
            {
                await Expect(mailbox.Messages.GetByRole(AriaRole.Button).Filter(new() { HasText = merchant }).Filter(new() { HasText = $"{stage} · #{cashoutId} " }))
                    .ToBeVisibleAsync();
            }
        });
    }

    [Fact]
    public async Task Merchant_sees_the_new_cashouts_status_follow_the_pipeline_in_the_result_panel_and_can_start_another()
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (merchant, _) = await data.CreateReadyMerchantAsync(50_000);

        await InBrowserAsync(async session =>
        {
            var page = session.Page;
            var login = new LoginPage(page);
            await login.GotoAsync();
            await login.SignInAsync(merchant, DemoUsers.Password);
            await new ShellPage(page).ExpectSignedInAsAsync(merchant);
            var form = new NewCashoutPage(page);
            await form.GotoAsync();
            await form.EnterAmountAsync("100");
            var id = await form.ReviewAndConfirmAsync();
            var status = page.GetByTestId("created-status");
            await Expect(status).ToHaveTextAsync("Pending");

            await data.EndReviewAsync(id);

            await Expect(status).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
            await session.ScreenshotAsync("cashout-created-completed");
            await page.GetByRole(AriaRole.Button, new() { Name = "Request another" }).ClickAsync();
            await Expect(form.Amount).ToHaveValueAsync("");
            // A cashout paid out today: the rules say when the next one is possible.
            await Expect(form.Summary).ToContainTextAsync("Cooldown period");
        });
    }
}
