using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cashout.Portal.Tests.Shared;

/// <summary>A self-signed certificate with its private key, written as a PFX file: what an operator gives DataProtection:CertificatePath.</summary>
public static class TestCertificates
{
    public const string Password = "test-pfx-password";

    public static string WritePfx(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=cashout-portal-data-protection-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory, "data-protection.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
