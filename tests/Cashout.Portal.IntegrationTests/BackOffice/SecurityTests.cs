using System.Net;
using AngleSharp.Html.Parser;
using Cashout.Portal.Admin.Users;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Merchants;
using Cashout.Portal.Tests.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.BackOffice;

/// <summary>Over HTTP, as a browser: admin two-factor, revalidation of open sessions, security events in the audit log, the verification form.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string Password = "Second-Admin-2026";
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Theory]
    [InlineData("/admin/merchants")]
    [InlineData("/admin/declines")]
    [InlineData("/admin/audit")]
    public async Task Admin_without_two_factor_is_sent_to_set_it_up_when_opening_an_admin_page(string page)
    {
        await CreateAdminWithoutTwoFactorAsync("ops@cashout.test");
        var client = await SignedInAsync("ops@cashout.test", Password);

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Account/Manage/EnableAuthenticator?returnUrl={Uri.EscapeDataString(page)}", response.Headers.Location!.PathAndQuery());
        var setup = await client.GetAsync(response.Headers.Location!.PathAndQuery());
        Assert.Contains("Admins must use two-factor authentication", await setup.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_reaches_the_back_office_and_the_change_is_audited_and_emailed_once_two_factor_is_set_up()
    {
        await CreateAdminWithoutTwoFactorAsync("ops@cashout.test");
        var client = await SignedInAsync("ops@cashout.test", Password);
        const string setupPage = "/Account/Manage/EnableAuthenticator?returnUrl=%2Fadmin%2Faudit";
        var page = await new HtmlParser().ParseDocumentAsync(await (await client.GetAsync(setupPage)).Content.ReadAsStringAsync());
        var key = page.QuerySelector("[data-testid=shared-key]")!.TextContent.Replace(" ", "", StringComparison.Ordinal);

        var enabled = await HtmlForms.SubmitAsync(client, setupPage, "send-code", new Dictionary<string, string>
        {
            ["Input.Code"] = Totp.Code(key, portal.Clock.GetUtcNow()),
        });

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("Recovery codes", await enabled.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/audit")).StatusCode);
        var entry = await LastEntryAsync(AuditActions.TwoFactorEnabled);
        Assert.Equal(("ops@cashout.test", AuditActorKind.Admin, AuditCategory.SecurityEvent), (entry.ActorName, entry.ActorKind, entry.Category));
        Assert.Contains("Two-factor authentication is on for your account", await SubjectsToAsync("ops@cashout.test"));
    }

    [Theory]
    [InlineData("/admin/declines")]
    [InlineData("/admin/audit")]
    public async Task Admin_pages_open_for_the_demo_admin_and_are_refused_to_a_merchant(string page)
    {
        var admin = await SignedInAsync(DemoSeed.AdminEmail, DemoSeed.Password);
        var merchant = await SignedInAsync(DemoSeed.MerchantEmail, DemoSeed.Password);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(page)).StatusCode);
        var refused = await merchant.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", refused.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_change_signs_the_user_out_of_an_open_session_at_its_next_request_and_is_audited()
    {
        var merchant = await SignedInAsync(DemoSeed.MerchantEmail, DemoSeed.Password);
        Assert.Equal(HttpStatusCode.OK, (await merchant.GetAsync("/")).StatusCode);
        var (adminId, merchantId) = await portal.WithDbAsync(async db => (
            await db.Users.Where(u => u.Email == DemoSeed.AdminEmail).Select(u => u.Id).SingleAsync(),
            await db.Users.Where(u => u.Email == DemoSeed.MerchantEmail).Select(u => u.Id).SingleAsync()));

        var changed = await UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(Caller.Admin(adminId), new ChangeUserRoleCommand(merchantId, PortalRoles.Admin, Grant: true, "Runs the back office from Monday")));

        Assert.True(changed.Succeeded, changed.Message);
        // At once: the change ended the user's sessions, so no stamp check needs to come round first.
        var afterCheck = await merchant.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, afterCheck.StatusCode);
        Assert.StartsWith("/Account/Login", afterCheck.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        var entry = await LastEntryAsync(AuditActions.RoleChanged);
        Assert.Equal(("[\"Merchant\"]", "[\"Admin\",\"Merchant\"]"), (Roles(entry.Before), Roles(entry.After)));
    }

    [Fact]
    public async Task Role_change_is_refused_for_a_merchant_caller_and_for_the_last_admin_removing_its_own_admin_role()
    {
        var (adminId, merchantId) = await portal.WithDbAsync(async db => (
            await db.Users.Where(u => u.Email == DemoSeed.AdminEmail).Select(u => u.Id).SingleAsync(),
            await db.Users.Where(u => u.Email == DemoSeed.MerchantEmail).Select(u => u.Id).SingleAsync()));

        var byMerchant = await UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(Caller.Merchant(merchantId), new ChangeUserRoleCommand(merchantId, PortalRoles.Admin, Grant: true, "Promote myself")));
        var ownRole = await UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(Caller.Admin(adminId), new ChangeUserRoleCommand(adminId, PortalRoles.Admin, Grant: false, "Stepping down")));

        Assert.Equal(CommandStatus.Forbidden, byMerchant.Status);
        Assert.Equal("last_admin", ownRole.Code);
        Assert.Equal(0, await portal.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.RoleChanged)));
    }

    [Fact]
    public async Task Sign_in_outcomes_are_audited_with_the_reason_up_to_the_lockout()
    {
        await SignedInAsync(DemoSeed.MerchantEmail, DemoSeed.Password);
        var client = portal.CreateBrowserlessClient();
        await LogInAsync(client, "nobody@cashout.test", "Whatever-Password-1");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await LogInAsync(client, DemoSeed.NewcomerEmail, "Wrong-password-" + attempt);
        }

        var actions = await portal.WithDbAsync(db => db.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.Action, e.ActorName, e.Summary }).ToListAsync());

        Assert.Equal(
            [AuditActions.SignInSucceeded, AuditActions.SignInFailed, .. Enumerable.Repeat(AuditActions.SignInFailed, 4), AuditActions.LockedOut],
            actions.Select(a => a.Action));
        Assert.Equal("nobody@cashout.test", actions[1].ActorName);
        Assert.Contains("no account", actions[1].Summary, StringComparison.Ordinal);
        Assert.All(actions.Skip(2), a => Assert.Equal(DemoSeed.NewcomerEmail, a.ActorName));
        Assert.True((await UseAsync<VerifyAuditChain, AuditChainReport?>(v => v.HandleAsync(Caller.Admin("any"))))!.IsIntact);
    }

    [Fact]
    public async Task Password_change_is_audited_and_emailed_without_the_password()
    {
        var client = await SignedInAsync(DemoSeed.NewcomerEmail, DemoSeed.Password);

        var changed = await HtmlForms.SubmitAsync(client, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = DemoSeed.Password,
            ["Input.NewPassword"] = "Brand-New-Secret-2026",
            ["Input.ConfirmPassword"] = "Brand-New-Secret-2026",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var entry = await LastEntryAsync(AuditActions.PasswordChanged);
        Assert.Equal(DemoSeed.NewcomerEmail, entry.ActorName);
        Assert.DoesNotContain("Brand-New-Secret", entry.After + entry.Before + entry.Summary, StringComparison.Ordinal);
        Assert.Contains("Your Cashout Portal password was changed", await SubjectsToAsync(DemoSeed.NewcomerEmail));
    }

    [Fact]
    public async Task Verification_form_submits_valid_details_and_the_banner_then_says_in_review()
    {
        var client = await SignedInAsync(DemoSeed.NewcomerEmail, DemoSeed.Password);
        Assert.Contains("Account verification required.", await (await client.GetAsync("/")).TextAsync(), StringComparison.Ordinal);

        var invalid = await HtmlForms.SubmitAsync(client, "/verification", "business-details", new Dictionary<string, string>
        {
            ["Input.LegalName"] = "Newcomer Ltd",
            ["Input.Country"] = "GB",
            ["Input.ContactName"] = "Nia",
            ["Input.ContactPhone"] = "12345",
        });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("international format", await invalid.TextAsync(), StringComparison.Ordinal);

        var submitted = await HtmlForms.SubmitAsync(client, "/verification", "business-details", new Dictionary<string, string>
        {
            ["Input.LegalName"] = "Newcomer Ltd",
            ["Input.Country"] = "GB",
            ["Input.ContactName"] = "Nia",
            ["Input.ContactPhone"] = "+44 20 7946 0958",
        });
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal(VerificationStatus.Submitted, await portal.WithDbAsync(db => db.MerchantProfiles.Where(p => p.LegalName == "Newcomer Ltd").Select(p => p.Status).SingleAsync()));
        Assert.Contains("Account verification in progress.", await (await client.GetAsync("/")).TextAsync(), StringComparison.Ordinal);
        Assert.Contains("In review", await (await client.GetAsync("/verification")).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verified_merchant_sees_no_verification_banner()
    {
        var client = await SignedInAsync(DemoSeed.MerchantEmail, DemoSeed.Password);

        var dashboard = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.DoesNotContain("data-testid=\"verification-banner\"", dashboard, StringComparison.Ordinal);
    }

    private async Task CreateAdminWithoutTwoFactorAsync(string email) => await portal.WithScopeAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var admin = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = portal.Clock.GetUtcNow() };
        Assert.True((await users.CreateAsync(admin, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(admin, PortalRoles.Admin)).Succeeded);
    });

    private Task<HttpClient> SignedInAsync(string email, string password) => SignIn.AsAsync(portal, email, password);

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password) => SignIn.SubmitLoginAsync(client, email, password);

    private async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull
    {
        T result = default!;
        await portal.WithScopeAsync(async services => result = await call(services.GetRequiredService<TService>()));
        return result;
    }

    private Task<AuditEntry> LastEntryAsync(string action) =>
        portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderByDescending(e => e.Id).FirstAsync());

    private Task<List<string>> SubjectsToAsync(string to) =>
        portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == to).Select(m => m.Subject).ToListAsync());

    private static string Roles(string? json) => System.Text.Json.JsonDocument.Parse(json!).RootElement.GetProperty("roles").GetRawText();
}
