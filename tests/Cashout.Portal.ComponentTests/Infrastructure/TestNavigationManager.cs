using Microsoft.AspNetCore.Components;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>Sits at http://localhost/ and records navigation instead of performing it.</summary>
public sealed class TestNavigationManager : NavigationManager
{
    public const string BaseAddress = "http://localhost/";

    public TestNavigationManager() => Initialize(BaseAddress, BaseAddress);

    public List<string> NavigatedTo { get; } = [];

    protected override void NavigateToCore(string uri, NavigationOptions options)
    {
        NavigatedTo.Add(uri);
        Uri = ToAbsoluteUri(uri).ToString();
    }
}
