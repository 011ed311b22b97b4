using Cashout.Portal.E2ETests.Infrastructure;
using Cashout.Portal.E2ETests.Pages;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Cashout.Portal.E2ETests.Tests;

/// <summary>The audit every accessibility test relies on fails where it must.</summary>
public sealed class AxeAuditTests(PortalFixture fixture, ITestOutputHelper output) : PortalTest(fixture, output)
{
    [Fact]
    public Task Audit_fails_naming_the_rule_when_the_page_has_a_critical_violation() => InBrowserAsync(async session =>
    {
        await new LoginPage(session.Page).GotoAsync();
        await AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine);

        // An image with no text alternative: axe's "image-alt" rule, of critical impact.
        await session.Page.EvaluateAsync("() => document.querySelector('main').append(Object.assign(document.createElement('img'), { src: '/favicon.svg' }))");

        var failure = await Assert.ThrowsAsync<TrueException>(() => AxeAudit.AssertNoSeriousViolationsAsync(session.Page, Output.WriteLine));
        Assert.Contains("image-alt [critical]", failure.Message);
    });
}
