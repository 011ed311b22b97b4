namespace Cashout.Portal.Sandbox;

/// <summary>
/// The sandbox's deterministic behaviours, so every path of the pipeline can be tested on purpose
/// (DESIGN.md section 3). They look at the requested amount and the payee.
/// </summary>
public static class SandboxTriggers
{
    public const string RejectedCode = "808";
    public const string RejectedError = "ERROR_OTHER";
    public const string ReturnCode = "AC04";

    /// <summary>An amount ending in 13 minor units is rejected at submission: code 808, ERROR_OTHER.</summary>
    public static bool IsRejected(long amount) => amount % 100 == 13;

    /// <summary>A payee containing <c>+return</c> completes, then the beneficiary's bank returns the payout.</summary>
    public static bool IsReturned(string payee) => Has(payee, "+return");

    /// <summary>A payee containing <c>+slow</c> gets its submission answered only after a delay (the payout is recorded first).</summary>
    public static bool IsSlow(string payee) => Has(payee, "+slow");

    /// <summary>A payee containing <c>+down</c> finds the provider unavailable (503) for its first submissions.</summary>
    public static bool IsDown(string payee) => Has(payee, "+down");

    /// <summary>A payee containing <c>+invalid</c> fails the account check.</summary>
    public static bool IsInvalidAccount(string payee) => Has(payee, "+invalid");

    private static bool Has(string payee, string trigger) => payee.Contains(trigger, StringComparison.OrdinalIgnoreCase);
}
