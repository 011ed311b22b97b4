namespace Cashout.Portal.Common;

/// <summary>
/// The IP address of whoever this scope serves, for the audit log's "from where". In a request it is the
/// connection's remote address; in an interactive circuit there is no request, so Routes.razor hands over the
/// address of the page request that started the circuit (a protected component parameter the client cannot change).
/// Behind a reverse proxy, configure forwarded headers so that the remote address is the client's.
/// </summary>
public sealed class ClientAddress(IHttpContextAccessor httpContext)
{
    private string? circuitAddress;

    public string? Value => circuitAddress ?? (httpContext.HttpContext is { } context ? Of(context) : null);

    public void Set(string? address)
    {
        if (!string.IsNullOrEmpty(address))
        {
            circuitAddress = address;
        }
    }

    /// <summary>
    /// The caller with this scope's address when it came without one: pages that build their caller from the
    /// principal alone still get "from where" into the audit entries of what they do.
    /// </summary>
    public Caller Complete(Caller caller) =>
        caller.ClientAddress is null && Value is { } address ? caller with { ClientAddress = address } : caller;

    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
