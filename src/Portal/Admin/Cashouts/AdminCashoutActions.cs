using System.Globalization;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Components.Dialogs;
using MudBlazor;

namespace Cashout.Portal.Admin.Cashouts;

/// <summary>
/// The back office's hold, release and cancel, as the grid and the details page both offer them: a confirmation
/// (with a required reason for hold and cancel), the use case with the admin as caller, and a toast with the outcome.
/// The use cases check the Admin role again and record the audit trail.
/// </summary>
public sealed class AdminCashoutActions(
    HoldCashout holdCashout,
    ReleaseCashout releaseCashout,
    CancelCashout cancelCashout,
    IDialogService dialogs,
    ISnackbar snackbar,
    PageWrites writes)
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    /// <returns>True when the cashout changed.</returns>
    public async Task<bool> HoldAsync(Caller admin, CashoutRow cashout)
    {
        var reason = await AskReasonAsync(
            $"Put cashout #{cashout.Id} on hold",
            $"{cashout.Amount.Format(Culture)} for {cashout.MerchantEmail} stays reserved until you release or cancel it.",
            "Put on hold",
            destructive: false);
        return reason is not null && Report(await writes.RunAsync(() => holdCashout.HandleAsync(admin, cashout.Id, reason)), $"Cashout #{cashout.Id} is on hold");
    }

    public async Task<bool> ReleaseAsync(Caller admin, CashoutRow cashout)
    {
        var confirmed = await dialogs.ConfirmAsync(
            $"Release cashout #{cashout.Id}",
            $"Release cashout #{cashout.Id} ({cashout.Amount.Format(Culture)} for {cashout.MerchantEmail})? It goes back to Pending and on to the provider.",
            "Release");
        return confirmed && Report(await writes.RunAsync(() => releaseCashout.HandleAsync(admin, cashout.Id)), $"Cashout #{cashout.Id} released");
    }

    public async Task<bool> CancelAsync(Caller admin, CashoutRow cashout)
    {
        var reason = await AskReasonAsync(
            $"Cancel cashout #{cashout.Id}",
            $"{cashout.Debit.Format(Culture)} goes back to {cashout.MerchantEmail}'s available balance. This cannot be undone.",
            "Cancel cashout",
            destructive: true);
        return reason is not null && Report(await writes.RunAsync(() => cancelCashout.HandleAsync(admin, cashout.Id, reason)), $"Cashout #{cashout.Id} cancelled");
    }

    private Task<string?> AskReasonAsync(string title, string prompt, string confirmText, bool destructive) =>
        dialogs.OpenAsync<ReasonDialog, string>(title, new DialogParameters<ReasonDialog>
        {
            { d => d.Prompt, prompt },
            { d => d.ConfirmText, confirmText },
            { d => d.Destructive, destructive },
        });

    /// <param name="result">Null when the database was busy (PageWrites said so).</param>
    private bool Report(CommandResult? result, string success)
    {
        if (result is null)
        {
            return false;
        }

        if (result.Succeeded)
        {
            snackbar.Notify(Severity.Success, success);
            return true;
        }

        snackbar.Notify(Severity.Error, "Not done", result.Message);
        return false;
    }
}
