using System.Security.Claims;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Identity;

/// <summary>
/// Re-checks the user of an open circuit every minute (security stamp and session), so that a changed password,
/// a removed role, a locked account or an ended session takes effect on pages that are already open; at once when
/// this node ended the session (<see cref="UserSessions.Ended"/>).
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory scopeFactory;
    private readonly IOptions<IdentityOptions> options;
    private readonly UserSessions sessions;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, UserSessions sessions)
        : base(loggerFactory)
    {
        this.scopeFactory = scopeFactory;
        this.options = options;
        this.sessions = sessions;
        sessions.Ended += OnSessionsEnded;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User)
            && await sessions.CheckAsync(userManager.GetUserId(authenticationState.User)!, SessionClaims.Of(authenticationState.User), ipAddress: null, cancellationToken);
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<PortalUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }

    private void OnSessionsEnded(string userId, IReadOnlyCollection<string> sessionIds) => _ = RevalidateNowAsync(
        principal => principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType) == userId && sessionIds.Contains(SessionClaims.Of(principal)));

    /// <summary>Signs the circuit out now if it is one of <paramref name="concerned"/> and no longer valid.</summary>
    private async Task RevalidateNowAsync(Func<ClaimsPrincipal, bool> concerned)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.Identity?.IsAuthenticated == true && concerned(state.User) && !await ValidateAuthenticationStateAsync(state, CancellationToken.None))
            {
                NotifyAuthenticationStateChanged(Task.FromResult(SignedOut));
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The circuit is gone or not started: its next revalidation (or none) settles it.
        }
    }

    protected override void Dispose(bool disposing)
    {
        sessions.Ended -= OnSessionsEnded;
        base.Dispose(disposing);
    }
}
