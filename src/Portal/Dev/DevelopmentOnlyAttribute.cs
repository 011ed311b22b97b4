using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Cashout.Portal.Dev;

/// <summary>
/// Marks a routable component that exists in Development only (the mailbox shows password-reset links). Outside
/// Development its HTTP endpoint answers 404 and the router treats its route as unknown, so in-app navigation
/// (<c>Blazor.navigateTo</c>) cannot reach it either.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DevelopmentOnlyAttribute : Attribute
{
    public static bool IsHidden(Type componentType, IHostEnvironment environment) =>
        !environment.IsDevelopment() && componentType.GetCustomAttribute<DevelopmentOnlyAttribute>() is not null;

    /// <summary>Outside Development, development-only pages get a request delegate that answers 404.</summary>
    public static void HideEndpoints(RazorComponentsEndpointConventionBuilder components, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            return;
        }

        components.Add(endpoint =>
        {
            var page = endpoint.Metadata.OfType<ComponentTypeMetadata>().FirstOrDefault()?.Type;
            if (page is not null && IsHidden(page, environment))
            {
                endpoint.RequestDelegate = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                };
            }
        });
    }
}
