using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using MudBlazor;
using MudBlazor.Services;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>
/// The one bunit context every component test shares: MudBlazor's services, JS interop that answers every call
/// (MudBlazor asks the browser for sizes and focus), an interactive renderer, the environment, and a signed-in user
/// of either role (<see cref="SignIn"/>). Components that open popovers, dialogs or toasts render under
/// <see cref="RenderWithProviders"/>, as MainLayout hosts them in the app.
/// </summary>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    protected PortalTestContext()
    {
        Services.AddMudServices();
        Services.AddSingleton<IWebHostEnvironment>(Environment);
        Services.AddAntiforgery();
        Services.AddScoped<AntiforgeryStateProvider, RequestAntiforgeryStateProvider>();
        Authorization = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The portal's components run on the interactive server renderer; some only enable actions once interactive.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Authorization { get; }

    public TestWebHostEnvironment Environment { get; } = new();

    /// <summary>Signs in a user shaped like the Identity cookie's (TestUsers), or nobody for an anonymous principal.</summary>
    protected void SignIn(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            Authorization.SetNotAuthorized();
            return;
        }

        Authorization.SetAuthorized(name);
        Authorization.SetRoles([.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
        Authorization.SetClaims([.. user.Claims.Where(c => c.Type != ClaimTypes.Role && c.Type != ClaimTypes.Name)]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable; xunit 2 calls this before Dispose (then a no-op).
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Renders <paramref name="content"/> beside MudBlazor's popover, dialog and snackbar providers.</summary>
    protected IRenderedComponent<IComponent> RenderWithProviders(RenderFragment content) => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
        builder.AddContent(3, content);
    });
}
