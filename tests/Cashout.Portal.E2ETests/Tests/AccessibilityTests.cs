using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>axe-core audits of the pages every user meets: no serious or critical violation (DESIGN.md section 5).</summary>
public sealed class AccessibilityTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Login_page_has_no_serious_accessibility_violations_when_audited() => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).GotoAsync();

        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
    });

    [Fact]
    public Task Merchant_shell_has_no_serious_accessibility_violations_when_audited() => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Merchant);

        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
    });

    [Fact]
    public Task Admin_merchants_page_has_no_serious_accessibility_violations_when_audited() => InBrowserAsync(async session =>
    {
        var merchants = new AdminMerchantsPage(session.Page);
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await merchants.GotoAsync();
        await Expect(merchants.RowFor(DemoUsers.Merchant)).ToBeVisibleAsync();

        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
    });

    [Theory]
    [InlineData("admin/declines", "Declined attempts")]
    [InlineData("admin/audit", "Audit log")]
    public Task Admin_back_office_page_has_no_serious_accessibility_violations_when_audited(string path, string heading) => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).SignInAsDemoUserAsync(DemoUsers.Admin);
        await session.Page.GotoAsync(path);
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(session.Page);

        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);
    });
}
