using Microsoft.JSInterop;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>Like the server during prerendering: there is no browser, so any JS call fails loudly.</summary>
public sealed class StaticRenderJSRuntime : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw NoBrowser(identifier);

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => throw NoBrowser(identifier);

    private static InvalidOperationException NoBrowser(string identifier) =>
        new($"'{identifier}' needs JavaScript, which static rendering does not have. Cover this behaviour in the Playwright tests.");
}
