using System.Diagnostics;
using System.Text.RegularExpressions;
using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Tests.Shared;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>
/// The published build in Production, as an operator deploys it: a real SMTP server, the providers at a stub over
/// real HTTP, the first admin from the command line. A merchant registers and confirms by email, the admin (who
/// enrols two-factor first) approves, the merchant links Payoneer and requests a cashout that reaches the provider;
/// the development surfaces do not exist.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class ProductionSmokeTests(PortalFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string MerchantPassword = "Smoke-Merchant-2026";
    private const string AdminPassword = "Smoke-Admin-Pass-2026";
    private SmtpServer smtp = default!;
    private StubProvider provider = default!;
    private PortalProcess portal = default!;

    public async Task InitializeAsync()
    {
        var app = Path.Combine(fixture.Options.RepositoryRoot, "artifacts", "publish", "Cashout.Portal.dll");
        Assert.True(File.Exists(app), $"The published build is missing at {app}: scripts/test.sh publishes it (dotnet publish Cashout.Portal.csproj -c Debug --no-build -o artifacts/publish).");
        smtp = await SmtpServer.StartAsync();
        provider = await StubProvider.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Email:PickupDirectory"] = "",
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Payouts:ReviewWindowSeconds"] = "1",
            // The merchant links and cashes out within the minute: without this the cooling-off rule holds the
            // cashout for review (that rule has integration tests: CoolingOffTests).
            ["Payouts:CoolingOffHours"] = "0",
            ["Jobs:Submit:IntervalSeconds"] = "1",
            ["Jobs:OutboxSender:IntervalSeconds"] = "1",
        };
        foreach (var name in new[] { "Payoneer", "Tipalti", "Bank" })
        {
            settings[$"Providers:{name}:BaseUrl"] = new Uri(provider.BaseUrl, name.ToLowerInvariant() + "/").ToString();
            settings[$"Providers:{name}:ApiKey"] = StubProvider.ApiKey;
        }

        portal = await PortalProcess.StartAsync(fixture.Options, "Production", app, settings);
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await provider.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task Published_build_in_production_takes_a_merchant_from_registration_to_a_payout_at_the_provider()
    {
        var adminEmail = "ops@smoke.test";
        var setupLink = await CreateAdminAsync(adminEmail);

        await using var admin = await fixture.NewSessionAsync(nameof(Published_build_in_production_takes_a_merchant_from_registration_to_a_payout_at_the_provider) + "-admin", output, portal.BaseUrl);
        var adminPage = admin.Page;
        await adminPage.GotoAsync(setupLink);
        await adminPage.GetByLabel("Email", new() { Exact = true }).FillAsync(adminEmail);
        await adminPage.GetByLabel("New password", new() { Exact = true }).FillAsync(AdminPassword);
        await adminPage.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(AdminPassword);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await new LoginPage(adminPage).GotoAsync();
        await new LoginPage(adminPage).SignInAsync(adminEmail, AdminPassword);
        await Expect(adminPage).Not.ToHaveURLAsync(new Regex("Account/Login"));
        await adminPage.GotoAsync(AdminMerchantsPage.Path);
        await Expect(adminPage).ToHaveURLAsync(new Regex("Account/Manage/EnableAuthenticator"));
        await EnrolAuthenticatorAsync(adminPage);
        await admin.ScreenshotAsync("production-admin-enrolled");

        await using var merchant = await fixture.NewSessionAsync(nameof(Published_build_in_production_takes_a_merchant_from_registration_to_a_payout_at_the_provider) + "-merchant", output, portal.BaseUrl);
        var page = merchant.Page;
        var merchantEmail = "shop@smoke.test";
        await new RegisterPage(page).RegisterAsync(merchantEmail, MerchantPassword);
        var confirmation = await EmailToAsync(merchantEmail);
        await page.GotoAsync(ConfirmLink().Match(confirmation.Text).Groups[1].Value);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email confirmed", Level = 1 })).ToBeVisibleAsync();
        await new LoginPage(page).GotoAsync();
        await new LoginPage(page).SignInAsync(merchantEmail, MerchantPassword);
        await new ShellPage(page).ExpectSignedInAsAsync(merchantEmail);
        var verification = new VerificationPage(page);
        await verification.GotoAsync();
        await verification.SubmitAsync("Smoke Shop Ltd", "United Kingdom", "Sam Smoke", "+44 20 7946 0000");
        await Expect(verification.Status).ToHaveTextAsync("In review");

        var merchants = new AdminMerchantsPage(adminPage);
        await merchants.GotoAsync();
        await merchants.ApproveAsync(merchantEmail);

        await new PaymentMethodsPage(page).EnsurePayoneerLinkedAsync("payee@smoke.test", password: MerchantPassword);
        await merchants.FundAvailableAsync(merchantEmail, "500.00");
        var cashoutId = await MerchantFlows.RequestCashoutAsync(page, "100");
        await merchant.ScreenshotAsync("production-cashout-requested");

        var key = Cashout.Portal.Providers.PayoutReference.For(cashoutId);
        await WaitUntilAsync(() => provider.Payouts.ContainsKey(key), "the provider receives the payout");
        var (submission, authorization) = provider.Payouts[key];
        Assert.Equal(9_800, submission.NetAmount);
        Assert.Equal("payee@smoke.test", submission.Payee);
        Assert.Equal("Bearer " + StubProvider.ApiKey, authorization);

        // The published build serves every static asset the pages use, with content.
        using var http = new HttpClient { BaseAddress = portal.BaseUrl };
        foreach (var asset in new[] { "_framework/blazor.web.js", "app.css", "js/reconnect-modal.js", "favicon.svg" })
        {
            var response = await http.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset} answered {(int)response.StatusCode}");
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }

        // The development surfaces do not exist, for the anonymous and the signed in.
        foreach (var path in new[] { "dev/mail", "sandbox/payoneer/payouts/" + key })
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
            Assert.Equal(404, (await page.APIRequest.GetAsync(path)).Status);
        }

        await page.EvaluateAsync("() => Blazor.navigateTo('/dev/mail')");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
    }

    private async Task<string> CreateAdminAsync(string email)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(PublishedApp)!,
            ArgumentList = { PublishedApp, "admin", "create", "--email", email, "--url", portal.BaseUrl.ToString() },
        };
        foreach (var (name, value) in portal.Settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, text);
        return SetupLink().Match(text).Value;
    }

    /// <summary>The first email the SMTP server received for <paramref name="to"/> (others, such as the admin's security notices, may come first).</summary>
    private async Task<ReceivedEmail> EmailToAsync(string to)
    {
        for (var count = 1; ; count++)
        {
            var received = await smtp.WaitForMessagesAsync(count, TimeSpan.FromSeconds(60));
            if (received.FirstOrDefault(m => m.To.Contains(to, StringComparison.Ordinal)) is { } message)
            {
                return message;
            }
        }
    }

    private string PublishedApp => Path.Combine(fixture.Options.RepositoryRoot, "artifacts", "publish", "Cashout.Portal.dll");

    /// <summary>First sign-in of an admin: the back office sends it to enrol an authenticator; answers with a code for the shown key.</summary>
    private static async Task EnrolAuthenticatorAsync(IPage page)
    {
        var key = (await page.GetByTestId("shared-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("Verification code", new() { Exact = true }).FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Expect(page.GetByText("recovery codes", new() { Exact = false }).First).ToBeVisibleAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting until {what}.");
            await poll.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    [GeneratedRegex(@"Confirm email: (\S+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https?://\S+/Account/ResetPassword\?code=\S+")]
    private static partial Regex SetupLink();
}
