namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition with a deadline, checking often: tests wait for conditions, never for fixed sleeps.</summary>
public static class Eventually
{
    /// <param name="state">What the timeout's message says was seen instead, to tell why it never held.</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}." + (state is null ? "" : $" Seen: {state()}"));
            }

            await Task.Delay(25);
        }
    }
}
