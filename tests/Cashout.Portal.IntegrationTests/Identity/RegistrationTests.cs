using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cashout.Portal.Audit;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Merchants;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>Register, confirm the email through the outbox, log in: the real app, real forms, a real SQLite file.</summary>
public sealed partial class RegistrationTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task New_merchant_can_log_in_only_after_confirming_the_email_from_the_outbox()
    {
        var client = portal.CreateBrowserlessClient();
        const string email = "new.shop@cashout.test";

        var registered = await HtmlForms.SubmitAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.StartsWith("/Account/RegisterConfirmation", registered.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);

        var userId = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.Equal(VerificationStatus.NotSubmitted, await portal.WithDbAsync(db => db.MerchantProfiles.Where(p => p.MerchantId == userId).Select(p => p.Status).SingleAsync()));
        Assert.True(await portal.WithDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == userId && db.Roles.Any(role => role.Id == r.RoleId && role.Name == PortalRoles.Merchant))));

        var confirmation = await portal.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.To == email));
        Assert.Equal("account.confirm-email", confirmation.Kind);
        Assert.Equal(OutboxStatus.Pending, confirmation.Status);

        var beforeConfirming = await LogInAsync(client, email);
        Assert.NotEqual(HttpStatusCode.Redirect, beforeConfirming.StatusCode);
        Assert.Contains("confirm", await beforeConfirming.TextAsync(), StringComparison.OrdinalIgnoreCase);

        var link = new Uri(ConfirmLink().Match(confirmation.TextBody).Groups[1].Value);
        var confirmed = await client.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        var loggedIn = await LogInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        Assert.Equal("/", loggedIn.Headers.Location!.PathAndQuery());

        var dashboard = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains(email, await dashboard.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_is_audited_with_the_new_account_and_the_visitors_address_and_a_taken_address_is_not()
    {
        // Over real HTTP (Kestrel on loopback), so the request has a remote address as a visitor's would.
        await using var served = new PortalFactory().WithKestrel();
        using var client = served.CreateHttpClient();
        const string email = "audited.shop@cashout.test";

        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(client, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(client, DemoSeed.MerchantEmail)).StatusCode);

        var userId = await served.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var entry = Assert.Single(await served.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.MerchantRegistered).ToListAsync()));
        Assert.Equal(
            (AuditCategory.SecurityEvent, AuditActorKind.Merchant, userId, email, "127.0.0.1", "user", userId),
            (entry.Category, entry.ActorKind, entry.ActorId, entry.ActorName, entry.IpAddress, entry.SubjectType, entry.SubjectId));
        Assert.Null(entry.Before);
        var after = JsonDocument.Parse(entry.After!).RootElement;
        Assert.Equal((email, PortalRoles.Merchant, false, "NotSubmitted"), (after.GetProperty("email").GetString(), after.GetProperty("role").GetString(),
            after.GetProperty("emailConfirmed").GetBoolean(), after.GetProperty("verification").GetString()));
    }

    [Fact]
    public async Task Registration_is_refused_with_a_message_when_the_password_is_shorter_than_12_characters()
    {
        var client = portal.CreateBrowserlessClient();

        var response = await HtmlForms.SubmitAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "short@cashout.test",
            ["Input.Password"] = "Short-pw-1",
            ["Input.ConfirmPassword"] = "Short-pw-1",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("12", await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "short@cashout.test")));
        Assert.False(await portal.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.To == "short@cashout.test")));
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_answers_as_a_sign_up_and_emails_the_owner_instead()
    {
        var client = portal.CreateBrowserlessClient();
        var fresh = await RegisterAsync(client, "brand.new@cashout.test");
        var taken = await RegisterAsync(client, " " + DemoSeed.MerchantEmail.ToUpperInvariant() + " ");

        // The visitor cannot tell the two apart: the same redirect to "check your email", nothing about the address.
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(fresh.Headers.Location!.AbsolutePath, taken.Headers.Location!.AbsolutePath);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == DemoSeed.MerchantEmail.ToUpperInvariant())));

        var toOwner = await portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == DemoSeed.MerchantEmail && m.Kind.StartsWith("account.")).ToListAsync());
        var email = Assert.Single(toOwner);
        Assert.Equal("account.already-registered", email.Kind);
        Assert.Contains("/Account/ForgotPassword", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmEmail", email.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_with_a_weak_password_shows_the_password_rule_like_any_other()
    {
        var client = portal.CreateBrowserlessClient();

        var response = await HtmlForms.SubmitAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoSeed.MerchantEmail,
            ["Input.Password"] = "alllowercaseletters",
            ["Input.ConfirmPassword"] = "alllowercaseletters",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.TextAsync();
        Assert.DoesNotContain("taken", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Passwords must have at least one uppercase", page, StringComparison.Ordinal); // Identity's own message, beside the field
        Assert.False(await portal.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.To == DemoSeed.MerchantEmail && m.Kind.StartsWith("account."))));
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email) =>
        HtmlForms.SubmitAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email) =>
        HtmlForms.SubmitAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });

    [GeneratedRegex(@"Confirm email: (\S+)")]
    private static partial Regex ConfirmLink();
}
