using System.Security.Cryptography.X509Certificates;
using Cashout.Portal.Api;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Security;

/// <summary>
/// Data Protection keys: they sign the authentication and antiforgery cookies and decrypt the API signature and
/// webhook secrets, so they must survive restarts (persisted beside the SQLite file, configurable; in the database on
/// PostgreSQL, shared by every node) and, in Production, be encrypted at rest with the operator's certificate
/// (docs/decisions/016-data-protection-keys-at-rest.md).
/// </summary>
public static class KeyProtection
{
    public const string Section = "DataProtection";

    public static void AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var keys = builder.Services.AddDataProtection().SetApplicationName("cashout-portal");
        if (DataExtensions.ProviderOf(configuration) == DatabaseProvider.PostgreSql)
        {
            // Every node reads and writes the one key ring: a cookie, an antiforgery token or an API secret protected
            // on one node opens on the others.
            builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlPortalDbContext>>().CreateDbContext());
            keys.PersistKeysToDbContext<PostgreSqlPortalDbContext>();
        }
        else
        {
            keys.PersistKeysToFileSystem(new DirectoryInfo(KeysDirectory(builder)));
        }

        var certificatePath = configuration[$"{Section}:CertificatePath"];
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = LoadCertificate(builder.Environment, certificatePath, configuration[$"{Section}:CertificatePassword"]);
            keys.ProtectKeysWithCertificate(certificate);
        }
        else if (!builder.Environment.IsDevelopment() && !configuration.GetValue<bool>($"{Section}:AllowUnprotectedKeys"))
        {
            throw new InvalidOperationException(
                $"{Section}:CertificatePath is required outside Development: the Data Protection keys decrypt API and webhook secrets " +
                $"and must be encrypted at rest. Give a PFX file with a private key (and {Section}:CertificatePassword), or set " +
                $"{Section}:AllowUnprotectedKeys=true if the disk is protected otherwise.");
        }
    }

    private static X509Certificate2 LoadCertificate(IHostEnvironment environment, string path, string? password)
    {
        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
        if (!File.Exists(fullPath))
        {
            throw new InvalidOperationException($"{Section}:CertificatePath names a file that does not exist: {path}");
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(fullPath, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{Section}:CertificatePath must hold the certificate's private key (a PFX file).");
    }

    /// <summary>Api:DataProtectionKeysPath, or a "keys" folder beside the database file, relative to the content root.</summary>
    private static string KeysDirectory(WebApplicationBuilder builder)
    {
        var keysPath = builder.Configuration[$"{ApiOptions.Section}:{nameof(ApiOptions.DataProtectionKeysPath)}"];
        if (string.IsNullOrWhiteSpace(keysPath))
        {
            var database = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Path)}"] ?? new DatabaseOptions().Path;
            keysPath = Path.Combine(Path.GetDirectoryName(database) ?? "", "keys");
        }

        return Path.IsPathRooted(keysPath) ? keysPath : Path.Combine(builder.Environment.ContentRootPath, keysPath);
    }
}
