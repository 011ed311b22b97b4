using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Cashout.Portal.ComponentTests.Infrastructure;

public sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}
