using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>/admin/jobs and /admin/emails, and the stage emails the payout pipeline sends.</summary>
public sealed class AdminBackOfficeTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Admin_sees_feedback_and_a_new_last_run_when_running_a_job_now() => InBrowserAsync(async session =>
    {
        var jobs = new AdminJobsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await jobs.GotoAsync();

        await AdminJobsPage.ClickAsync(jobs.RunNow("settle"));

        await Expect(jobs.Toast("Job settle started")).ToBeVisibleAsync();
        await Expect(jobs.Status).ToHaveTextAsync("Job settle started");
        // The page refreshes itself: the run shows up with what it did.
        await Expect(jobs.RowFor("settle")).ToContainTextAsync("settled");
        await session.ScreenshotAsync("admin-jobs");
    });

    [Fact]
    public Task Admin_pauses_and_resumes_a_job_when_clicking_pause_then_resume() => InBrowserAsync(async session =>
    {
        var jobs = new AdminJobsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await jobs.GotoAsync();

        await AdminJobsPage.ClickAsync(jobs.Pause("settle"));

        await Expect(jobs.Status).ToHaveTextAsync("Job settle paused");
        await Expect(jobs.RowFor("settle")).ToContainTextAsync("Paused");
        await Expect(jobs.Resume("settle")).ToBeVisibleAsync();

        await AdminJobsPage.ClickAsync(jobs.Resume("settle"));

        await Expect(jobs.Status).ToHaveTextAsync("Job settle resumed");
        await Expect(jobs.RowFor("settle")).Not.ToContainTextAsync("Paused");
        await Expect(jobs.Pause("settle")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Admin_opens_the_Hangfire_dashboard_from_the_jobs_page_and_finds_the_sweeps() => InBrowserAsync(async session =>
    {
        var jobs = new AdminJobsPage(session.Page);
        var dashboard = new HangfireDashboardPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await jobs.GotoAsync();

        await jobs.DashboardLink.ClickAsync();

        await dashboard.ExpectOpenAsync();
        await dashboard.RecurringJobsTab.ClickAsync();
        foreach (var sweep in new[] { "outbox-sender", "submit", "track", "settle", "webhook-delivery" })
        {
            await Expect(dashboard.RecurringJob(sweep)).ToBeVisibleAsync();
        }

        await session.ScreenshotAsync("hangfire-dashboard");
    });

    [Fact]
    public async Task Stage_emails_of_a_cashout_appear_in_the_dev_mailbox_when_the_pipeline_runs()
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (merchant, cashoutId) = await data.RequestCashoutForNewMerchantAsync(10_000);
        // Linked, requested, processing, completed: sent by the portal process's jobs, the sandbox paying on its own.
        await data.WaitForSentEmailsAsync(merchant, 4, TimeSpan.FromSeconds(60));

        await InBrowserAsync(async session =>
        {
            var mailbox = new MailboxPage(session.Page);
            await mailbox.GotoAsync();

            foreach (var stage in new[] { "Cashout requested", "Cashout processing", "Cashout completed" })
            {
                await Expect(mailbox.Messages.GetByRole(AriaRole.Button).Filter(new() { HasText = merchant }).Filter(new() { HasText = $"{stage} · #{cashoutId} " }))
                    .ToBeVisibleAsync();
            }

            var completed = await mailbox.OpenAsync(merchant, "Cashout completed");
            await Expect(completed).ToContainTextAsync("Net to payee: $98.00");
            await Expect(completed.GetByRole(AriaRole.Link, new() { Name = "View cashout" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/cashouts/{cashoutId}$"));
            await session.ScreenshotAsync("dev-mail-stage-emails");
        });
    }

    [Fact]
    public async Task Admin_queues_an_email_again_with_feedback_when_clicking_resend()
    {
        await using var data = new PortalData(Fixture.DatabasePath, Fixture.BaseUrl);
        var (merchant, _) = await data.RequestCashoutForNewMerchantAsync(10_000);
        await data.WaitForSentEmailsAsync(merchant, 2, TimeSpan.FromSeconds(60));

        await InBrowserAsync(async session =>
        {
            var emails = new AdminEmailsPage(session.Page);
            await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
            await emails.GotoAsync();
            var linked = emails.RowsTo(merchant).Filter(new() { HasText = "payout method was linked" });
            await Expect(linked).ToContainTextAsync("Sent");
            await session.ScreenshotAsync("admin-emails");

            var resend = linked.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Resend") });
            await BlazorCircuit.WaitUntilInteractiveAsync(resend);
            await resend.ClickAsync();

            await Expect(emails.Toast("Queued again")).ToBeVisibleAsync();
            await Expect(emails.Status).ToHaveTextAsync($"Email to {merchant} queued again");
            await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
        });
    }

    [Fact]
    public Task Admin_jobs_page_has_no_serious_accessibility_violations_when_audited() => InBrowserAsync(async session =>
    {
        var jobs = new AdminJobsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await jobs.GotoAsync();

        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
    });
}
