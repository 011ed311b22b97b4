using System.Security.Cryptography;
using System.Text;

namespace Cashout.Portal.Api.Credentials;

/// <summary>
/// A merchant's API credentials (one set per merchant): a login, a pass kept only as a salted hash (it is only
/// ever verified) and a signature secret kept encrypted (family C needs it back to compute HMACs).
/// Generated passes are 32 random characters, so a fast salted SHA-256 is enough and keeps every API request
/// cheap; a slow password hash would make each call cost ~100 ms of CPU (docs/decisions/010-api-credential-storage.md).
/// </summary>
public sealed class ApiCredential
{
    public const int MaxLength = 32;

    private ApiCredential()
    {
    }

    public ApiCredential(string merchantId, string login, string pass, string protectedSignatureSecret, DateTimeOffset now)
    {
        MerchantId = merchantId;
        CreatedAt = now;
        Replace(login, pass, protectedSignatureSecret, now);
    }

    public string MerchantId { get; private set; } = "";

    public string Login { get; private set; } = "";

    public string PassSalt { get; private set; } = "";

    public string PassHash { get; private set; } = "";

    public string ProtectedSignatureSecret { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset RotatedAt { get; private set; }

    /// <summary>Rotation: new login, pass and signature secret at once; the old ones stop working immediately.</summary>
    public void Replace(string login, string pass, string protectedSignatureSecret, DateTimeOffset now)
    {
        Login = login;
        var salt = RandomNumberGenerator.GetBytes(16);
        PassSalt = Convert.ToBase64String(salt);
        PassHash = Convert.ToBase64String(Hash(salt, pass));
        ProtectedSignatureSecret = protectedSignatureSecret;
        RotatedAt = now;
    }

    /// <summary>Compares in constant time, so the answer's timing says nothing about the pass.</summary>
    public bool VerifyPass(string pass) =>
        CryptographicOperations.FixedTimeEquals(Hash(Convert.FromBase64String(PassSalt), pass), Convert.FromBase64String(PassHash));

    private static byte[] Hash(byte[] salt, string pass) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(pass));
}

/// <summary>
/// A merchant's balance account id, as family B names it (Adyen style, e.g. <c>BA00000000000000000000001</c>).
/// Stored rather than derived so that it never changes, and so the demo merchant's can be fixed for README.
/// </summary>
public sealed class BalanceAccount
{
    private BalanceAccount()
    {
    }

    public BalanceAccount(string id, string merchantId, DateTimeOffset now)
    {
        Id = id;
        MerchantId = merchantId;
        CreatedAt = now;
    }

    public string Id { get; private set; } = "";

    public string MerchantId { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public static string NewId()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        return "BA" + RandomNumberGenerator.GetString(alphabet, 23);
    }
}
