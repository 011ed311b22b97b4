using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>/admin/audit: the audit log with its chain check.</summary>
public sealed class AdminAuditPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 });

    public ILocator Grid => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Table);

    public ILocator ChainReport => page.GetByTestId("chain-report");

    public async Task GotoAsync()
    {
        await page.GotoAsync("admin/audit");
        await Expect(Heading).ToBeVisibleAsync();
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    public async Task VerifyChainAsync()
    {
        var verify = page.GetByRole(AriaRole.Button, new() { Name = "Verify chain" });
        await BlazorCircuit.WaitUntilInteractiveAsync(verify);
        await verify.ClickAsync();
        await Expect(ChainReport).ToBeVisibleAsync();
    }
}
