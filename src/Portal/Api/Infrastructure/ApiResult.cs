using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>
/// What an API endpoint answers: a status, a JSON body and extra headers. Kept as text so that an
/// idempotent POST can store it and replay it byte for byte. A minimal-API handler or filter may return it as is.
/// </summary>
public sealed record ApiResult(int Status, string Json, IReadOnlyDictionary<string, string>? Headers = null) : IResult
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static ApiResult Of(int status, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, body.ToJsonString(Compact), headers);

    public ApiResult WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers ?? new Dictionary<string, string>()) { [name] = value } };

    public async Task WriteAsync(HttpContext context, string contentType = "application/json")
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(Json, context.RequestAborted);
    }

    Task IResult.ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext);
}

/// <summary>Each family spells errors its own way; the shared steps (body, rate limit, idempotency) ask it to.</summary>
public delegate ApiResult ApiErrorFormat(int status, string message);
