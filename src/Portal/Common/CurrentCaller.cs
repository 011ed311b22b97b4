using Microsoft.AspNetCore.Components.Authorization;

namespace Cashout.Portal.Common;

/// <summary>For pages: the signed-in user of this circuit (or request) as a <see cref="Caller"/>, with the client's address.</summary>
public sealed class CurrentCaller(AuthenticationStateProvider authentication, ClientAddress clientAddress)
{
    public async Task<Caller> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Caller.FromPrincipal(state.User, clientAddress.Value);
    }
}
