namespace Cashout.Portal.Common;

/// <summary>
/// The IP address of whoever this scope serves, for the audit log's "from where". In a request it is the
/// connection's remote address; in an interactive circuit there is no request, so Routes.razor hands over the
/// address of the page request that started the circuit (a protected component parameter the client cannot change).
/// Behind a reverse proxy, configure forwarded headers so that the remote address is the client's.
/// </summary>
public sealed class ClientAddress
{
    public string? Value { get; private set; }

    public void Set(string? address)
    {
        if (!string.IsNullOrEmpty(address))
        {
            Value = address;
        }
    }

    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
