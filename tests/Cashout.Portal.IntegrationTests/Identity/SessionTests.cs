using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity.Sessions;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>
/// Every sign-in is a session in the database: the person sees its sessions and ends them, a password change ends
/// the others, a sign-out ends its own; an ended session's cookie, even a copy of it, is refused at its next request.
/// </summary>
public sealed class SessionTests : IAsyncLifetime
{
    private static readonly Uri Base = new("http://localhost");
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Person_sees_both_sessions_and_ending_the_other_one_signs_it_out_at_its_next_request()
    {
        var laptop = await SignedInAsync("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        var phone = await SignedInAsync("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1");
        var merchant = await MerchantAsync();

        var rows = await portal.UseAsync<ListSessions, IReadOnlyList<SessionRow>>(l => l.HandleAsync(merchant, laptop.SessionId));
        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].IsCurrent);
        Assert.Equal("Chrome on Windows", rows[0].Device);
        Assert.Equal("Safari on iOS", rows[1].Device);

        var ended = await portal.UseAsync<EndSessions, CommandResult>(e => e.EndOneAsync(merchant, phone.SessionId, laptop.SessionId));

        Assert.True(ended.Succeeded, ended.Message);
        await AssertSignedOutAsync(phone.Client);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Client.GetAsync("/")).StatusCode);
        Assert.Single(await portal.UseAsync<ListSessions, IReadOnlyList<SessionRow>>(l => l.HandleAsync(merchant, laptop.SessionId)));
        Assert.True(await portal.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SessionEnded && e.ActorId == merchant.Id)));
    }

    [Fact]
    public async Task Sign_out_everywhere_else_keeps_only_the_current_session()
    {
        var current = await SignedInAsync();
        var other = await SignedInAsync();
        var third = await SignedInAsync();

        var merchant = await MerchantAsync();

        var result = await portal.UseAsync<EndSessions, CommandResult>(e => e.EndOthersAsync(merchant, current.SessionId));

        Assert.True(result.Succeeded);
        await AssertSignedOutAsync(other.Client);
        await AssertSignedOutAsync(third.Client);
        Assert.Equal(HttpStatusCode.OK, (await current.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it()
    {
        var changing = await SignedInAsync();
        var other = await SignedInAsync();
        const string newPassword = "Another-Long-Pass-77";

        var changed = await HtmlForms.SubmitAsync(changing.Client, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = DemoSeed.Password,
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = newPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await AssertSignedOutAsync(other.Client);
        Assert.Equal(HttpStatusCode.OK, (await changing.Client.GetAsync("/")).StatusCode);
        var reasons = await portal.WithDbAsync(db => db.UserSessions.Where(s => s.Id == other.SessionId).Select(s => s.EndedReason).SingleAsync());
        Assert.Equal("password_changed", reasons);
    }

    [Fact]
    public async Task Signed_out_session_cookie_is_refused_even_when_a_copy_was_kept()
    {
        var session = await SignedInAsync();
        var copy = new CookieContainer();
        foreach (Cookie cookie in session.Cookies.GetCookies(Base))
        {
            copy.Add(Base, new Cookie(cookie.Name, cookie.Value));
        }

        var home = await new HtmlParser().ParseDocumentAsync(await session.Client.GetStringAsync("/"));
        var logout = home.Forms.Single(f => f.Action.EndsWith("Account/Logout", StringComparison.Ordinal));
        var fields = logout.Elements.OfType<IHtmlInputElement>().Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
        var signedOut = await session.Client.PostAsync("/Account/Logout", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        await AssertSignedOutAsync(portal.CreateDefaultClient(Base, new CookieContainerHandler(copy)));
        Assert.Equal("signed_out", await portal.WithDbAsync(db => db.UserSessions.Where(s => s.Id == session.SessionId).Select(s => s.EndedReason).SingleAsync()));
    }

    [Fact]
    public async Task Someone_elses_session_cannot_be_ended()
    {
        var victim = await SignedInAsync();
        var attacker = Caller.Merchant("someone-else");

        var result = await portal.UseAsync<EndSessions, CommandResult>(e => e.EndOneAsync(attacker, victim.SessionId, currentSessionId: null));

        Assert.Equal(CommandResult.NotFound.Status, result.Status);
        Assert.Equal(HttpStatusCode.OK, (await victim.Client.GetAsync("/")).StatusCode);
    }

    private sealed record SignedInSession(HttpClient Client, CookieContainer Cookies, string SessionId);

    /// <summary>The demo merchant signed in through the login form, in a browser of its own.</summary>
    private async Task<SignedInSession> SignedInAsync(string userAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
    {
        _ = portal.Services;
        var cookies = new CookieContainer();
        var client = portal.CreateDefaultClient(Base, new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var before = await portal.WithDbAsync(db => db.UserSessions.Select(s => s.Id).ToListAsync());

        var response = await SignIn.SubmitLoginAsync(client, DemoSeed.MerchantEmail, DemoSeed.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var started = await portal.WithDbAsync(db => db.UserSessions.Where(s => !before.Contains(s.Id)).Select(s => s.Id).SingleAsync());
        return new SignedInSession(client, cookies, started);
    }

    private async Task<Caller> MerchantAsync()
    {
        var id = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == DemoSeed.MerchantEmail).Select(u => u.Id).SingleAsync());
        return Caller.Merchant(id);
    }

    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }
}
