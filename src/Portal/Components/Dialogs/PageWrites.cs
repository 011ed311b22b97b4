using Cashout.Portal.Data;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Cashout.Portal.Components.Dialogs;

/// <summary>
/// Runs what a page or dialog changes (request, cancel, hold, release, link, unlink, approve, reject...) as an API
/// request runs it: waiting for the database's write lock only Database:RequestBusyTimeoutSeconds, not the 30 s a job
/// waits. When another writer held it longer, the use case's transaction rolled back: the person reads so in a toast,
/// and the circuit, which an unhandled exception would have ended, goes on.
/// </summary>
public sealed class PageWrites(ISnackbar snackbar, IOptions<DatabaseOptions> database)
{
    public const string BusySummary = "Not done";

    public const string BusyMessage = "The database is busy; nothing was changed. Try again in a moment.";

    /// <returns>What <paramref name="write"/> returned, or null when the database was busy (the toast said so).</returns>
    public async Task<T?> RunAsync<T>(Func<Task<T>> write)
        where T : class
    {
        try
        {
            using (SqliteBusyTimeout.Limit(database.Value.RequestBusyTimeoutSeconds))
            {
                return await write();
            }
        }
        catch (Exception ex) when (SqliteBusyTimeout.IsBusy(ex))
        {
            snackbar.Notify(Severity.Warning, BusySummary, BusyMessage);
            return null;
        }
    }
}
