using Cashout.Portal.Components.Dialogs;
using Cashout.Portal.Components.Theme;
using Cashout.Portal.Dev;
using MudBlazor;
using MudBlazor.Services;

namespace Cashout.Portal.Components;

public static class UiExtensions
{
    public static void AddPortalUi(this WebApplicationBuilder builder)
    {
        // The build output (not the published one) finds package assets such as _framework/blazor.web.js through the
        // static web assets manifest, which ASP.NET Core reads only in Development unless asked: tests run the built
        // app in Production too. A published app has no such manifest, so this changes nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddScoped<PageWrites>();
        builder.Services.AddMudServices(options =>
        {
            // Every action's result shows at the bottom, where a phone's thumb is, and stays long enough to read.
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
            options.SnackbarConfiguration.ShowCloseIcon = true;
            options.SnackbarConfiguration.PreventDuplicates = false;
            // Shown at once, not faded in: a half-transparent toast is unreadable (and fails a contrast audit) while it fades.
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
        });
    }

    public static void MapPortalUi(this WebApplication app)
    {
        // Ask Chromium for the system's colour scheme with every page request (a client hint; Critical-CH makes it
        // retry the very first request with it), so a first visit renders in the person's theme, static pages too.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                context.Response.Headers["Accept-CH"] = ThemePreference.ColorSchemeHint;
                context.Response.Headers["Critical-CH"] = ThemePreference.ColorSchemeHint;
                context.Response.Headers.Append("Vary", ThemePreference.ColorSchemeHint);
            }

            return next(context);
        });

        // The portal's own Content-Security-Policy (ResponseHardening) says frame-ancestors; Blazor's would be a second policy.
        var components = app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        DevelopmentOnlyAttribute.HideEndpoints(components, app.Environment);
    }
}
