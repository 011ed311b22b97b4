using System.Text;
using Cashout.Portal.Common;
using Cashout.Portal.Identity.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity.Passkeys;

/// <summary>What the browser's passkey script is told after it handed over a new passkey.</summary>
/// <param name="Id">The new passkey's id, to name it next.</param>
public sealed record PasskeyAdded(bool Ok, string Message, string? Code = null, string? Id = null);

/// <summary>
/// The WebAuthn ceremonies' HTTP side (wwwroot/js/passkeys.js calls them; ADR 030). Identity keeps each ceremony's
/// challenge in a short-lived cookie, so options and answer must be requests of the same browser, not circuit calls.
/// Every endpoint checks the antiforgery token the page gave the script.
/// </summary>
internal static class PasskeyEndpoints
{
    /// <summary>A WebAuthn answer is a few kilobytes; anything far larger is not one.</summary>
    private const int MaxCredentialJsonChars = 64 * 1024;

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/PasskeyCreationOptions", CreationOptionsAsync).RequireAuthorization();
        account.MapPost("/PasskeyRequestOptions", RequestOptionsAsync).AllowAnonymous();
        account.MapPost("/Passkeys", AddAsync).RequireAuthorization();
    }

    /// <summary>Options to create a passkey for the signed-in person (its existing ones are excluded).</summary>
    private static async Task<IResult> CreationOptionsAsync(HttpContext context, SignInManager<PortalUser> signIn, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context) || await signIn.UserManager.GetUserAsync(context.User) is not { } user)
        {
            return TypedResults.BadRequest();
        }

        var name = user.Email ?? user.UserName ?? user.Id;
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = name, DisplayName = name });
        return TypedResults.Content(options, "application/json");
    }

    /// <summary>
    /// Options to sign in with a passkey: any of the browser's passkeys for this site (the person picks one, no
    /// email needed); for a signed-in person re-authenticating, only its own.
    /// </summary>
    private static async Task<IResult> RequestOptionsAsync(HttpContext context, SignInManager<PortalUser> signIn, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }

        var user = context.User.Identity?.IsAuthenticated == true ? await signIn.UserManager.GetUserAsync(context.User) : null;
        return TypedResults.Content(await signIn.MakePasskeyRequestOptionsAsync(user), "application/json");
    }

    /// <summary>The browser's new passkey: verified against the ceremony's challenge, then added to the account.</summary>
    private static async Task<IResult> AddAsync(HttpContext context, SignInManager<PortalUser> signIn, IAntiforgery antiforgery, AddPasskey addPasskey)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }

        var json = await ReadBodyAsync(context.Request);
        if (string.IsNullOrWhiteSpace(json))
        {
            return TypedResults.BadRequest(new PasskeyAdded(false, "The browser sent no passkey.", "no_passkey"));
        }

        PasskeyAttestationResult attestation;
        try
        {
            attestation = await signIn.PerformPasskeyAttestationAsync(json);
        }
        catch (InvalidOperationException)
        {
            return TypedResults.BadRequest(new PasskeyAdded(false, "The passkey took too long to arrive. Try again.", "no_ceremony"));
        }

        if (!attestation.Succeeded)
        {
            return TypedResults.BadRequest(new PasskeyAdded(false, $"The passkey was not accepted: {attestation.Failure.Message}", "not_accepted"));
        }

        var caller = Caller.FromPrincipal(context.User, ClientAddress.Of(context));
        var name = DeviceName.Of(context.Request.Headers.UserAgent.ToString());
        var result = await addPasskey.HandleAsync(caller, new AddPasskeyCommand(attestation.UserEntity.Id, attestation.Passkey, name), context.RequestAborted);
        return result.Succeeded
            ? TypedResults.Ok(new PasskeyAdded(true, $"Passkey added as \"{name}\".", Id: PasskeyIds.Format(attestation.Passkey.CredentialId)))
            : TypedResults.BadRequest(new PasskeyAdded(false, result.Message ?? "The passkey was not added.", result.Code));
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxCredentialJsonChars + 1];
        var read = await reader.ReadBlockAsync(buffer, request.HttpContext.RequestAborted);
        return read > MaxCredentialJsonChars ? "" : new string(buffer, 0, read);
    }
}
