using Cashout.Portal.E2ETests.Infrastructure;

namespace Cashout.Portal.E2ETests.Pages;

/// <summary>The signed-in shell (MainLayout): header with the user and "Sign out", the main navigation.</summary>
public sealed class ShellPage(IPage page)
{
    public ILocator SignedInUser => page.GetByTestId("signed-in-user");

    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    // Exact: the security page has "Sign out everywhere else" and a "Sign out ..." per session.
    public ILocator SignOutButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true });

    public ILocator MainHeading => page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator NavigationLink(string name) =>
        Navigation.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>The shell is there for <paramref name="email"/> and its circuit is connected.</summary>
    public async Task ExpectSignedInAsAsync(string email)
    {
        await Expect(SignedInUser).ToHaveTextAsync(email);
        await BlazorCircuit.WaitForCircuitAsync(page);
    }

    public async Task SignOutAsync() => await SignOutButton.ClickAsync();
}
