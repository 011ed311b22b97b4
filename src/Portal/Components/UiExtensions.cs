using Cashout.Portal.Dev;
using Radzen;

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
        builder.Services.AddRadzenComponents();
        builder.Services.AddRadzenCookieThemeService(options =>
        {
            options.Name = "cashout.theme";
            options.Duration = TimeSpan.FromDays(365);
        });
    }

    public static void MapPortalUi(this WebApplication app)
    {
        // The portal's own Content-Security-Policy (ResponseHardening) says frame-ancestors; Blazor's would be a second policy.
        var components = app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        DevelopmentOnlyAttribute.HideEndpoints(components, app.Environment);
    }
}
