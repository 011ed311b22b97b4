using Cashout.Portal.Dev;
using Radzen;

namespace Cashout.Portal.Components;

public static class UiExtensions
{
    public static void AddPortalUi(this WebApplicationBuilder builder)
    {
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
        var components = app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        DevelopmentOnlyAttribute.HideEndpoints(components, app.Environment);
    }
}
