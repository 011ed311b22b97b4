using System.Globalization;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Radzen;

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
    DialogService dialogs,
    NotificationService notifications)
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    /// <returns>True when the cashout changed.</returns>
    public async Task<bool> HoldAsync(Caller admin, CashoutRow cashout)
    {
        var reason = await AskReasonAsync(
            $"Put cashout #{cashout.Id} on hold",
            $"{cashout.Amount.Format(Culture)} for {cashout.MerchantEmail} stays reserved until you release or cancel it.",
            "Put on hold",
            ButtonStyle.Warning);
        return reason is not null && Report(await holdCashout.HandleAsync(admin, cashout.Id, reason), $"Cashout #{cashout.Id} is on hold");
    }

    public async Task<bool> ReleaseAsync(Caller admin, CashoutRow cashout)
    {
        var confirmed = await dialogs.Confirm(
            $"Release cashout #{cashout.Id} ({cashout.Amount.Format(Culture)} for {cashout.MerchantEmail})? It goes back to Pending and on to the provider.",
            $"Release cashout #{cashout.Id}",
            new ConfirmOptions { OkButtonText = "Release", CancelButtonText = "Back" });
        return confirmed == true && Report(await releaseCashout.HandleAsync(admin, cashout.Id), $"Cashout #{cashout.Id} released");
    }

    public async Task<bool> CancelAsync(Caller admin, CashoutRow cashout)
    {
        var reason = await AskReasonAsync(
            $"Cancel cashout #{cashout.Id}",
            $"{cashout.Debit.Format(Culture)} goes back to {cashout.MerchantEmail}'s available balance. This cannot be undone.",
            "Cancel cashout",
            ButtonStyle.Danger);
        return reason is not null && Report(await cancelCashout.HandleAsync(admin, cashout.Id, reason), $"Cashout #{cashout.Id} cancelled");
    }

    private async Task<string?> AskReasonAsync(string title, string prompt, string confirmText, ButtonStyle style) =>
        await dialogs.OpenAsync<ReasonDialog>(
            title,
            new Dictionary<string, object?>
            {
                [nameof(ReasonDialog.Prompt)] = prompt,
                [nameof(ReasonDialog.ConfirmText)] = confirmText,
                [nameof(ReasonDialog.ConfirmStyle)] = style,
            },
            new DialogOptions { Width = "min(30rem, 95vw)", CloseDialogOnEsc = true }) as string;

    private bool Report(CommandResult result, string success)
    {
        if (result.Succeeded)
        {
            notifications.Notify(NotificationSeverity.Success, success);
            return true;
        }

        notifications.Notify(NotificationSeverity.Error, "Not done", result.Message ?? "");
        return false;
    }
}
