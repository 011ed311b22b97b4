using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Cashout.Portal.Components.Dialogs;

/// <summary>The portal's dialogs and toasts on MudBlazor's services, so every page asks and answers the same way.</summary>
public static class PortalDialogs
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };

    /// <summary>Asks a yes/no question; true only when the person pressed <paramref name="confirmText"/>.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText,
        string cancelText = "Back", bool destructive = false)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.CancelText, cancelText },
            { d => d.Destructive, destructive },
        };
        return await OpenAsync<ConfirmDialog, bool>(dialogs, title, parameters);
    }

    /// <summary>Opens a dialog and returns what it closed with, or default when it was dismissed.</summary>
    public static async Task<TResult?> OpenAsync<TDialog, TResult>(this IDialogService dialogs, string title, DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var reference = await dialogs.ShowAsync<TDialog>(title, parameters, Options);
        var result = await reference.Result;
        return result is { Canceled: false, Data: TResult data } ? data : default;
    }

    /// <summary>An action's outcome as a toast: what happened in bold, then what follows from it.</summary>
    public static void Notify(this ISnackbar snackbar, Severity severity, string summary, string? detail = null) =>
        snackbar.Add(Message(summary, detail), severity);

    private static RenderFragment Message(string summary, string? detail) => builder =>
    {
        builder.OpenElement(0, "strong");
        builder.AddContent(1, summary);
        builder.CloseElement();
        if (!string.IsNullOrEmpty(detail))
        {
            builder.OpenElement(2, "span");
            builder.AddAttribute(3, "class", "toast-detail");
            builder.AddContent(4, detail);
            builder.CloseElement();
        }
    };
}
