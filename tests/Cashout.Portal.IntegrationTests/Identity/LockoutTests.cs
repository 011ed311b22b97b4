using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using Cashout.Portal.Data;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>
/// Over HTTP, as a browser: repeated wrong passwords warn before the lockout, the lockout page says when it ends, an
/// email with no account gets the very same answers as a real one, and the owner of a locked account is emailed
/// (over real SMTP) once per lockout.
/// </summary>
public sealed class LockoutTests : IAsyncLifetime
{
    private const string UnknownEmail = "nobody-here@cashout.test";
    private const string LockedOutSubject = "Sign-in to your Cashout Portal account is locked for a while";
    private SmtpServer smtp = null!;
    private PortalFactory portal = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpServer.StartAsync();
        portal = new PortalFactory().WithSmtp(smtp.Port);
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task Unknown_email_gets_the_same_answers_as_a_real_account_from_the_first_failure_to_the_lockout_page()
    {
        var real = portal.CreateBrowserlessClient();
        var unknown = portal.CreateBrowserlessClient();
        var answers = new List<Answer>();

        for (var attempt = 1; attempt <= 7; attempt++)
        {
            var toReal = await AnswerAsync(real, DemoSeed.NewcomerEmail, "Wrong-password-" + attempt);
            var toUnknown = await AnswerAsync(unknown, UnknownEmail, "Wrong-password-" + attempt);
            Assert.Equal(toReal, toUnknown);
            answers.Add(toReal);
        }

        const string wrong = "The email or password is not correct.";
        Assert.Equal([wrong, wrong, wrong + " 2 attempts left before the account is locked for 15 minutes.", wrong + " 1 attempt left before the account is locked for 15 minutes."],
            answers.Take(4).Select(a => a.Message));
        var end = portal.Clock.GetUtcNow().AddMinutes(15);
        var until = $"/Account/Lockout?until={Uri.EscapeDataString(end.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}";
        // The fifth failure locks; attempts during the lockout meet the same end, even with the right password.
        Assert.All(answers.Skip(4), a => Assert.Equal((HttpStatusCode.Redirect, until), (a.Status, a.Location)));
        // The page rounds the end (to the second in the address) up to the minute, never too early to try again.
        var toTheSecond = end.AddTicks(-(end.Ticks % TimeSpan.TicksPerSecond));
        var shown = toTheSecond.Ticks % TimeSpan.TicksPerMinute == 0 ? toTheSecond : toTheSecond.AddTicks(TimeSpan.TicksPerMinute - toTheSecond.Ticks % TimeSpan.TicksPerMinute);
        Assert.Equal(
            $"Too many sign-in attempts failed, so this account is locked to protect it until {shown.ToString("HH:mm 'UTC on' d MMM yyyy", CultureInfo.InvariantCulture)} (in 15 minutes).",
            answers[4].Message);
        Assert.Equal(answers[4], await AnswerAsync(real, DemoSeed.NewcomerEmail, DemoSeed.Password));
    }

    [Fact]
    public async Task Owner_is_emailed_once_per_lockout_and_nobody_is_emailed_for_an_unknown_email()
    {
        var client = portal.CreateBrowserlessClient();
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            await SignIn.SubmitLoginAsync(client, DemoSeed.NewcomerEmail, "Wrong-password-" + attempt);
            await SignIn.SubmitLoginAsync(client, UnknownEmail, "Wrong-password-" + attempt);
        }

        Assert.Equal(1, await LockoutEmailsAsync());
        // The lock ends; five more failures lock it again, and that is a second email.
        portal.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await SignIn.SubmitLoginAsync(client, DemoSeed.NewcomerEmail, "Wrong-password-8")).StatusCode);
        for (var attempt = 9; attempt <= 12; attempt++)
        {
            await SignIn.SubmitLoginAsync(client, DemoSeed.NewcomerEmail, "Wrong-password-" + attempt);
        }

        Assert.Equal(2, await LockoutEmailsAsync());
        Assert.Equal(0, await portal.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == UnknownEmail)));

        Assert.Equal(2, (await portal.SendDueEmailsAsync()).Sent);
        var received = await smtp.WaitForMessagesAsync(2);
        Assert.All(received, m => Assert.Equal((DemoSeed.NewcomerEmail, LockedOutSubject), (m.To, m.Subject)));
        var lockedAt = portal.Clock.GetUtcNow().AddMinutes(-16).ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var first = received.Single(m => m.Text.Contains($"was locked at {lockedAt}", StringComparison.Ordinal));
        Assert.Contains("after repeated failed attempts, the last one from the address", first.Text, StringComparison.Ordinal);
        Assert.Contains("If it was not you, someone is trying to sign in as you: reset your password", first.Text, StringComparison.Ordinal);
        Assert.Contains("Reset password: http://localhost/Account/ForgotPassword", first.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lockout_page_shows_no_end_for_a_time_it_did_not_give()
    {
        var client = portal.CreateBrowserlessClient();

        var text = await (await client.GetAsync("/Account/Lockout?until=2001-01-01T00:00:00Z")).TextAsync();

        Assert.Contains("this account is locked for 15 minutes to protect it", text, StringComparison.Ordinal);
    }

    /// <summary>What a person sees after a sign-in: the page's message, or where it sends them and what that page says.</summary>
    private sealed record Answer(HttpStatusCode Status, string? Location, string Message);

    private static async Task<Answer> AnswerAsync(HttpClient client, string email, string password)
    {
        var response = await SignIn.SubmitLoginAsync(client, email, password);
        var location = response.Headers.Location?.PathAndQuery();
        var page = location is null ? response : await client.GetAsync(location);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var message = document.QuerySelector("[role=alert]")?.TextContent ?? "";
        return new Answer(response.StatusCode, location, string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    private Task<int> LockoutEmailsAsync() =>
        portal.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == DemoSeed.NewcomerEmail && m.Subject == LockedOutSubject));
}
