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
/// body (404 for an unknown path under an API's prefix, 405 for a method it does not serve) gets the family's JSON
/// here; any other request but a GET that no route serves is a plain 404.
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
                await (IsWriteToNoRoute(context) ? AnswerNotFoundAsync(context) : next(context));
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

    /// <summary>
    /// A POST (PUT, DELETE, ...) that no route serves. Re-executed as the "not found" page it came back as an HTML 400
    /// ("The request has an incorrect Content-type": the page refuses a body that is not a form), and routing alone
    /// says 405, because the static assets' GET fallback (<c>{**path:file}</c>) matches every path before its
    /// constraint is checked. Routing's 405 is a bare Endpoint; every mapped route is a RouteEndpoint.
    /// </summary>
    private static bool IsWriteToNoRoute(HttpContext context) =>
        context.GetEndpoint() is not RouteEndpoint && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);

    /// <summary>404 as problem details when the path or the body looks like an API call (<c>/v3/nothing</c>), else in plain text.</summary>
    private static Task AnswerNotFoundAsync(HttpContext context)
    {
        var message = MessageFor(StatusCodes.Status404NotFound);
        if (LooksLikeApi(context.Request))
        {
            return Problem(StatusCodes.Status404NotFound, message).WriteAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>A versioned or /api path, or a JSON body: a machine is calling.</summary>
    private static bool LooksLikeApi(HttpRequest request)
    {
        var first = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return first.Equals("api", StringComparison.OrdinalIgnoreCase)
            || (first.Length > 1 && first[0] is 'v' or 'V' && first[1..].All(char.IsAsciiDigit))
            || ApiBody.IsJson(request.ContentType);
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
