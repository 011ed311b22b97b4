using System.Globalization;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Data;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Api.Infrastructure;

/// <summary>
/// The steps every API request shares: read the body within the limit, answer errors in the family's format,
/// and never let an exception's text reach the client (it is logged with the request's trace id instead).
/// </summary>
public static class ApiEndpoint
{
    public const string BusyMessage = "The service is busy: nothing was changed. Retry in a few seconds (with the same Idempotency-Key).";

    public const string InternalErrorMessage = "Internal error; nothing was changed if no answer was stored. Retry with the same Idempotency-Key.";

    public static async Task RunAsync(HttpContext context, ApiErrorFormat error, Func<Task<ApiResult>> handler, string errorContentType = "application/json")
    {
        ApiResult result;
        try
        {
            using (LimitBusyWait(context))
            {
                result = await handler();
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (SqliteBusyTimeout.IsBusy(ex))
        {
            result = Busy(error);
        }
        catch (Exception ex)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Cashout.Portal.Api")
                .LogError(ex, "API request {Method} {Path} failed ({TraceId})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            result = error(StatusCodes.Status500InternalServerError, InternalErrorMessage);
        }

        await result.WriteAsync(context, result.Status >= 400 ? errorContentType : "application/json");
    }

    /// <summary>
    /// For the machine routes outside the families (provider webhooks, the sandbox), which are minimal-API handlers
    /// rather than <see cref="RunAsync"/>'s: the same short wait for the write lock, and the same 503 with Retry-After,
    /// in <paramref name="error"/>'s format, when it was not had.
    /// </summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> AnswerBusyDatabase(ApiErrorFormat error) =>
        async (context, next) =>
        {
            try
            {
                using (LimitBusyWait(context.HttpContext))
                {
                    return await next(context);
                }
            }
            catch (Exception ex) when (SqliteBusyTimeout.IsBusy(ex))
            {
                return Busy(error);
            }
        };

    /// <summary>Until disposed, this request waits for the write lock at most Database:RequestBusyTimeoutSeconds, not the pages' 30 s.</summary>
    private static IDisposable LimitBusyWait(HttpContext context) =>
        SqliteBusyTimeout.Limit(context.RequestServices.GetRequiredService<IOptions<DatabaseOptions>>().Value.RequestBusyTimeoutSeconds);

    /// <summary>Another writer held the database longer than this request may wait; its transaction rolled back.</summary>
    private static ApiResult Busy(ApiErrorFormat error) =>
        error(StatusCodes.Status503ServiceUnavailable, BusyMessage).WithHeader("Retry-After", "2");

    /// <summary>The body, or the family's 413 when it is over the limit, or its 415 when a body is not sent as JSON.</summary>
    public static async Task<(byte[]? Body, ApiResult? Error)> ReadBodyAsync(HttpContext context, ApiErrorFormat error)
    {
        var body = await ApiBody.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return (null, error(StatusCodes.Status413PayloadTooLarge, ApiBody.TooLargeMessage));
        }

        return body.Length > 0 && !ApiBody.IsJson(context.Request.ContentType)
            ? (null, error(StatusCodes.Status415UnsupportedMediaType, ApiBody.UnsupportedMediaTypeMessage))
            : (body, null);
    }

    /// <summary>401 for bad credentials, 429 with Retry-After when the credential's rate limit is spent.</summary>
    public static ApiResult AuthError(ApiAuthentication authentication, ApiErrorFormat error) => authentication.Failure switch
    {
        ApiAuthFailure.RateLimited => error(StatusCodes.Status429TooManyRequests, ApiAuthentication.RateLimitedMessage)
            .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(authentication.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
        _ => error(StatusCodes.Status401Unauthorized, ApiAuthentication.BadCredentialsMessage),
    };

    public static string RetryAfterSeconds(DateTimeOffset retryAt, DateTimeOffset now) =>
        Math.Max(1, (long)Math.Ceiling((retryAt - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
