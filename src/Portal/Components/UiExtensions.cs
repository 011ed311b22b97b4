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
        if (!app.Environment.IsDevelopment())
        {
            // Development tools such as /dev/mail do not exist outside Development.
            app.UseWhen(
                context => context.Request.Path.StartsWithSegments("/dev"),
                branch => branch.Run(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }));
        }

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
