namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// Waits for interactive server rendering. Pages are prerendered, so their content is visible before the circuit
/// exists; a click that lands before the circuit has attached the element's handlers is silently lost.
/// </summary>
public static class BlazorCircuit
{
    // blazor.web.js defines Blazor.disconnect only once StartCircuit has succeeded on this document.
    private const string CircuitStarted = "() => typeof window.Blazor?.disconnect === 'function'";

    // Resolves true once the element has Blazor event handlers, false if the element is replaced first (the
    // interactive render swaps the prerendered DOM for new nodes). The renderer keeps an element's handlers under
    // an own property named _blazorEvents_<n> (blazor.web.js 8 and 9); if that ever changes, the wait times out
    // loudly rather than passing.
    private const string HandlersAttached = """
        el => new Promise(resolve => {
            const check = () => {
                if (Object.keys(el).some(k => k.startsWith('_blazorEvents_'))) resolve(true);
                else if (!el.isConnected) resolve(false);
                else requestAnimationFrame(check);
            };
            check();
        })
        """;

    /// <summary>Waits until this document's circuit is connected.</summary>
    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.WaitForFunctionAsync(CircuitStarted);

    /// <summary>Waits until the circuit is connected and <paramref name="element"/> has its event handlers.</summary>
    public static async Task WaitUntilInteractiveAsync(ILocator element)
    {
        await WaitForCircuitAsync(element.Page);

        // Each pass waits on the element the locator resolves to now; a replaced element ends the pass, so the
        // next one picks up its successor. Every pass is bounded by the action timeout.
        for (var pass = 0; pass < MaxReplacements; pass++)
        {
            if (await element.EvaluateAsync<bool>(HandlersAttached))
            {
                return;
            }
        }

        throw new TimeoutException($"{element} was replaced {MaxReplacements} times without getting Blazor event handlers.");
    }

    private const int MaxReplacements = 5;
}
