using System.Net;
using System.Text.RegularExpressions;
using Cashout.Portal.Audit;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>
/// The app in Production, with no demo seed: the development mailbox does not exist, the roles do, registration
/// works and is all or nothing, and the operator creates the first admin from the command line.
/// </summary>
public sealed partial class ProductionTests : IAsyncLifetime
{
    private const string Password = "Production-Pass-42";
    private readonly PortalFactory portal = new PortalFactory().InProduction();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Trait("Database", "SqliteOnly")] // what the Production process answers, not what it stores: once is enough
    [Theory]
    [InlineData("/dev/mail")]
    [InlineData("/dev/mail/")]
    [InlineData("/DEV/MAIL")]
    [InlineData("/sandbox/payoneer/payouts/1")]
    public async Task Development_surfaces_answer_404_in_production(string path)
    {
        var response = await portal.CreateBrowserlessClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Mailbox", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Trait("Database", "SqliteOnly")] // what the Production process answers, not what it stores: once is enough
    [Theory]
    [InlineData("/anything", "text/plain", "text/plain")]
    [InlineData("/payment-methods/nothing", "application/x-www-form-urlencoded", "text/plain")]
    [InlineData("/v3/nothing", "text/plain", "application/json")]
    [InlineData("/anything", "application/json", "application/json")]
    public async Task A_post_to_no_route_is_a_404_in_plain_text_or_json_not_a_page(string path, string sentAs, string answeredAs)
    {
        var response = await portal.CreateBrowserlessClient().PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, sentAs));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(answeredAs, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Not found", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_exist_in_production_and_registration_makes_a_merchant_with_a_profile()
    {
        var roles = await portal.WithDbAsync(db => db.Roles.Select(r => r.Name).ToListAsync());
        Assert.Equal(PortalRoles.All.Order(), roles.Order());

        var response = await RegisterAsync("first.shop@example.test");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var userId = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == "first.shop@example.test").Select(u => u.Id).SingleAsync());
        Assert.True(await portal.WithDbAsync(db => db.MerchantProfiles.AnyAsync(p => p.MerchantId == userId)));
        Assert.True(await portal.WithDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == userId)));
    }

    [Fact]
    public async Task Registration_that_fails_after_creating_the_user_leaves_no_user_behind()
    {
        _ = portal.Services;
        await portal.WithDbAsync(db => db.Roles.Where(r => r.Name == PortalRoles.Merchant).ExecuteDeleteAsync());

        var response = await RegisterAsync("half.made@example.test");

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "half.made@example.test")));
        Assert.False(await portal.WithDbAsync(db => db.MerchantProfiles.AnyAsync()));
    }

    [Fact]
    public async Task Operator_command_creates_an_admin_whose_one_time_link_sets_the_password_and_who_must_enrol_two_factor()
    {
        _ = portal.Services; // the app has started once: the database exists, as on a deployed server
        var settings = CommandSettings();
        const string email = "ops.admin@example.test";

        var (exitCode, output) = await PortalProcess.RunCommandAsync("Production", settings, "admin", "create", "--email", email, "--url", "https://portal.example.test/");

        Assert.True(exitCode == 0, output);
        var link = new Uri(SetupLink().Match(output).Value);
        Assert.Equal("portal.example.test", link.Host);
        var admin = await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.True(admin.EmailConfirmed);
        Assert.Null(admin.PasswordHash);
        Assert.False(admin.TwoFactorEnabled);
        Assert.True(await portal.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.AdminCreated && e.SubjectId == admin.Id)));

        var again = await PortalProcess.RunCommandAsync("Production", settings, "admin", "create", "--email", email, "--url", "https://portal.example.test/");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("exists already", again.Output, StringComparison.Ordinal);

        var client = portal.CreateBrowserlessClient();
        var reset = await SetPasswordAsync(client, link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.StartsWith("/Account/ResetPasswordConfirmation", reset.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        var reused = await SetPasswordAsync(portal.CreateBrowserlessClient(), link.PathAndQuery);
        Assert.DoesNotContain("/Account/ResetPasswordConfirmation", reused.Headers.Location?.PathAndQuery() ?? "", StringComparison.Ordinal);

        var login = await SignIn.SubmitLoginAsync(client, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var backOffice = await client.GetAsync("/admin/merchants");
        Assert.Equal(HttpStatusCode.Redirect, backOffice.StatusCode);
        Assert.StartsWith("/Account/Manage/EnableAuthenticator", backOffice.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_command_migrates_the_database_before_a_deploy_and_a_second_run_finds_nothing_to_do()
    {
        var settings = CommandSettings();

        var (exitCode, output) = await PortalProcess.RunCommandAsync("Production", settings, "database", "migrate");
        var (againExitCode, againOutput) = await PortalProcess.RunCommandAsync("Production", settings, "database", "migrate");

        Assert.True(exitCode == 0, output);
        if (!TestDatabase.IsPostgreSql) // a PostgreSQL test database is cloned from a migrated template
        {
            var migrations = await portal.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
            Assert.All(migrations, migration => Assert.Contains(migration, output, StringComparison.Ordinal));
        }

        Assert.True(againExitCode == 0, againOutput);
        Assert.Contains("at the latest migration already", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_command_without_an_email_prints_its_usage_and_changes_nothing()
    {
        _ = portal.Services;
        var usersBefore = await portal.WithDbAsync(db => db.Users.CountAsync());

        var (exitCode, output) = await PortalProcess.RunCommandAsync("Production", CommandSettings(), "admin", "create");

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: Cashout.Portal admin create --email", output, StringComparison.Ordinal);
        Assert.Equal(usersBefore, await portal.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Data_protection_keys_are_encrypted_at_rest_with_the_configured_certificate()
    {
        _ = portal.Services;
        await RegisterAsync("keys.check@example.test"); // anything that needs a key makes one

        // In files beside the SQLite database; in the database on PostgreSQL, where every node reads them.
        var keys = TestDatabase.IsPostgreSql
            ? await portal.WithDbAsync(db => ((PostgreSqlPortalDbContext)db).DataProtectionKeys.Select(k => k.Xml!).ToListAsync())
            : [.. Directory.GetFiles(Path.Combine(portal.DataDirectory, "keys"), "key-*.xml").Select(File.ReadAllText)];

        Assert.NotEmpty(keys);
        foreach (var xml in keys)
        {
            Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }
    }

    [Trait("Database", "SqliteOnly")] // what the Production process answers, not what it stores: once is enough
    [Fact]
    public async Task Production_refuses_to_start_without_a_certificate_for_the_data_protection_keys()
    {
        var settings = CommandSettings();
        settings.Remove("DataProtection:CertificatePath");

        var (exitCode, output) = await PortalProcess.RunCommandAsync("Production", settings, "admin", "create", "--email", "x@example.test", "--url", "https://portal.example.test/");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("DataProtection:CertificatePath is required outside Development", output, StringComparison.Ordinal);
    }

    [Trait("Database", "SqliteOnly")] // what the Production process answers, not what it stores: once is enough
    [Fact]
    public async Task Production_cookies_are_secure_and_http_only_and_responses_carry_hsts()
    {
        var client = portal.CreateBrowserlessClient();

        var page = await client.GetAsync("https://portal.example.test/Account/Login");

        Assert.Contains("max-age", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.Contains("Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        _ = await RegisterAsync("cookie.check@example.test");
        await portal.WithDbAsync(db => db.Users.Where(u => u.Email == "cookie.check@example.test").ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        var login = await SignIn.SubmitLoginAsync(client, "cookie.check@example.test", Password);
        var auth = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cashout.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the operator command needs to open this factory's database and keys.</summary>
    private Dictionary<string, string> CommandSettings() => new(portal.Database.Settings)
    {
        ["Api:DataProtectionKeysPath"] = Path.Combine(portal.DataDirectory, "keys"),
        ["DataProtection:CertificatePath"] = Path.Combine(portal.DataDirectory, "data-protection.pfx"),
        ["DataProtection:CertificatePassword"] = TestCertificates.Password,
    };

    private Task<HttpResponseMessage> RegisterAsync(string email) =>
        HtmlForms.SubmitAsync(portal.CreateBrowserlessClient(), "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

    private static Task<HttpResponseMessage> SetPasswordAsync(HttpClient client, string pathAndQuery) =>
        HtmlForms.SubmitAsync(client, pathAndQuery, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = "ops.admin@example.test",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

    [GeneratedRegex(@"https://portal\.example\.test/Account/ResetPassword\?code=\S+")]
    private static partial Regex SetupLink();
}
