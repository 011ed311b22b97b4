using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics;
using Cashout.Portal.Api.BalancePlatform;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Api.Marketplace;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>
/// The machine APIs and the provider webhooks answer every error in their own JSON. The status-code pages, which
/// re-execute an empty error as the portal's "not found" page, apply to pages only: re-executed, a POST to an
/// unknown API path came back as an HTML 400 ("incorrect Content-type"). An error that routing produced with no
/// body (404 for an unknown path under an API's prefix, 405 for a method it does not serve) gets the family's JSON here.
/// </summary>
public static class MachineErrors
{
    /// <summary>Status-code pages for pages; the family's JSON for the machine routes.</summary>
    public static void UseStatusCodePagesForPagesOnly(this WebApplication app)
    {
        // A scope of its own for the re-executed page, so it does not reuse services of the failed request.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            if (FormatFor(context.Request) is not { } format)
            {
                await next(context);
                return;
            }

            if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            await next(context);
            var response = context.Response;
            if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null or 0 && response.ContentType is null)
            {
                await format(response.StatusCode, MessageFor(response.StatusCode)).WriteAsync(context);
            }
        });
    }

    /// <summary>The error format of the machine route a request is for; null for the portal's pages.</summary>
    public static ApiErrorFormat? FormatFor(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/v3/cashout"))
        {
            return LimePayApi.Error;
        }

        if (path.StartsWithSegments("/cashout"))
        {
            return MarketplaceApi.Error;
        }

        // GET /cashouts and /cashouts/{id} are the merchant's pages; family B only POSTs there.
        if (path.StartsWithSegments("/balanceAccounts") || path.StartsWithSegments("/transferRoutes")
            || (path.StartsWithSegments("/cashouts") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)))
        {
            return BalancePlatformApi.Error;
        }

        return path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/sandbox") || path.StartsWithSegments("/openapi") ? Problem : null;
    }

    /// <summary>RFC 9457 problem details, for the routes that belong to no family (webhooks, sandbox).</summary>
    public static ApiResult Problem(int status, string message) =>
        ApiResult.Of(status, new JsonObject { ["title"] = message, ["status"] = status });

    private static string MessageFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found: no such endpoint or resource",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed on this endpoint",
        StatusCodes.Status413PayloadTooLarge => ApiBody.TooLargeMessage,
        StatusCodes.Status415UnsupportedMediaType => ApiBody.UnsupportedMediaTypeMessage,
        _ => "The request failed",
    };
}
