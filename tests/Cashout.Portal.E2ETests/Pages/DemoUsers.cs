namespace Cashout.Portal.E2ETests.Pages;

/// <summary>The Development demo accounts (src/Portal/Data/DemoSeed.cs); each E2E run starts on a fresh database.</summary>
public static class DemoUsers
{
    public const string Password = "Demo!Cashout2026";
    public const string Admin = "admin@cashout.test";
    public const string Merchant = "merchant@cashout.test";

    /// <summary>Used for failed sign-ins, so that lockout counting never touches the accounts other tests sign in with.</summary>
    public const string Newcomer = "newcomer@cashout.test";
}
