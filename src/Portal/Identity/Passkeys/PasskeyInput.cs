namespace Cashout.Portal.Identity.Passkeys;

/// <summary>What wwwroot/js/passkeys.js posts in a passkey form: the browser's answer, or why there is none.</summary>
public sealed class PasskeyInput
{
    public string? CredentialJson { get; set; }

    public string? Error { get; set; }
}
