using System.Security.Claims;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Radzen;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>
/// Renders a real component to static HTML with real DI, the way the app prerenders it, and hands back the
/// markup as an AngleSharp document (docs/decisions/005-no-bunit.md). Add or replace services through
/// <see cref="Services"/> before the first render; set <see cref="User"/> and <see cref="Environment"/> likewise.
/// </summary>
public sealed class ComponentRenderer : IAsyncDisposable
{
    private readonly ServiceCollection services = new();
    private ServiceProvider? provider;

    public ComponentRenderer()
    {
        services.AddLogging();
        services.AddRadzenComponents();
        services.AddAuthorizationCore();
        services.AddSingleton<NavigationManager>(Navigation);
        services.AddSingleton<IWebHostEnvironment>(Environment);
        services.AddSingleton<IJSRuntime, StaticRenderJSRuntime>();
        // Read when each render's scope starts, so a test may set User after construction.
        services.AddScoped<AuthenticationStateProvider>(_ => new FixedAuthenticationStateProvider(User));
        services.AddAntiforgery();
        services.AddScoped<AntiforgeryStateProvider, RequestAntiforgeryStateProvider>();
    }

    /// <summary>Services the component may inject. Read-only once the first component has rendered.</summary>
    public IServiceCollection Services => services;

    /// <summary>The signed-in user that AuthorizeView and [CascadingParameter] Task&lt;AuthenticationState&gt; see.</summary>
    public ClaimsPrincipal User { get; set; } = TestUsers.Anonymous;

    public TestWebHostEnvironment Environment { get; } = new();

    public TestNavigationManager Navigation { get; } = new();

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> inside CascadingAuthenticationState, in a fresh DI scope (one
    /// request), and parses the markup. Parameters by name: <c>new() { [nameof(UserMenu.User)] = user }</c>.
    /// </summary>
    public async Task<IDocument> RenderAsync<TComponent>(Dictionary<string, object?>? parameters = null)
        where TComponent : IComponent
    {
        provider ??= BuildProvider();
        await using var scope = provider.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CascadingAuthenticationState.ChildContent)] = Fragment<TComponent>(parameters ?? []),
            });
            var output = await renderer.RenderComponentAsync<CascadingAuthenticationState>(root);
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }

    public async ValueTask DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    private ServiceProvider BuildProvider()
    {
        services.MakeReadOnly();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static RenderFragment Fragment<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        foreach (var (name, value) in parameters)
        {
            builder.AddComponentParameter(1, name, value);
        }
        builder.CloseComponent();
    };
}
