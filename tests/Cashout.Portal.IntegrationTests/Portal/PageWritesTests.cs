using System.Diagnostics;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Components.Dialogs;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cashout.Portal.IntegrationTests.Portal;

/// <summary>
/// A page's write (here the request form's confirm) while another writer holds the database: it gives up within the
/// request's short wait, writes nothing, and the person reads why in a toast, instead of a 30 s wait and a dead circuit.
/// </summary>
public sealed class PageWritesTests : MoneyTest
{
    public PageWritesTests() => Portal.WithSetting("Database:RequestBusyTimeoutSeconds", "2");

    [Fact]
    public async Task A_write_on_a_busy_database_gives_up_within_seconds_writes_nothing_and_says_so_in_a_toast()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();
        await using var scope = Portal.Services.CreateAsyncScope();
        // The circuit's scope: the navigation manager knows the page (MudBlazor's toasts follow navigation).
        ((IHostEnvironmentNavigationManager)scope.ServiceProvider.GetRequiredService<NavigationManager>()).Initialize("http://localhost/", "http://localhost/cashouts/new");
        var writes = scope.ServiceProvider.GetRequiredService<PageWrites>();
        var snackbar = scope.ServiceProvider.GetRequiredService<ISnackbar>();
        var request = scope.ServiceProvider.GetRequiredService<RequestCashout>();
        var command = new RequestCashoutCommand(MerchantId, PayoutMethod.Payoneer, 10_000, Currency.USD);

        var elapsed = Stopwatch.StartNew();
        RequestCashoutOutcome? outcome;
        await using (await Portal.HoldWritersAsync(MerchantId))
        {
            outcome = await writes.RunAsync(() => request.HandleAsync(Merchant, command));
            elapsed.Stop();
        }

        Assert.Null(outcome);
        var toast = Assert.Single(snackbar.ShownSnackbars);
        Assert.Equal(Severity.Warning, toast.Severity);
        // Bounded by Database:RequestBusyTimeoutSeconds (2 s here), not the 30 s a job waits.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(15), $"The write gave up after {elapsed.Elapsed}.");
        Assert.Equal(before, await SnapshotAsync());

        // The lock gone, the same confirm goes through, with no second toast.
        var retried = await writes.RunAsync(() => request.HandleAsync(Merchant, command));
        Assert.NotNull(retried?.Cashout);
        Assert.Single(snackbar.ShownSnackbars);
    }
}
