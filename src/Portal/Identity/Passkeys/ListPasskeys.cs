using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Identity.Passkeys;

/// <summary>One of the person's passkeys as /settings/security shows it; <paramref name="Id"/> is the credential id, Base64Url.</summary>
public sealed record PasskeyRow(string Id, string Name, DateTimeOffset AddedAt, bool IsSynced);

/// <summary>The caller's own passkeys, newest first.</summary>
public sealed class ListPasskeys(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<PasskeyRow>> HandleAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (caller.IsSystem || string.IsNullOrEmpty(caller.Id))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var passkeys = await db.UserPasskeys.AsNoTracking()
            .Where(p => p.UserId == caller.Id)
            .Select(p => new { p.CredentialId, p.Data.Name, p.Data.CreatedAt, p.Data.IsBackedUp })
            .ToListAsync(cancellationToken);
        return [.. passkeys
            .OrderByDescending(p => p.CreatedAt)
            .Select(p => new PasskeyRow(PasskeyIds.Format(p.CredentialId), p.Name ?? "Unnamed passkey", p.CreatedAt, p.IsBackedUp))];
    }
}

/// <summary>Credential ids travel as Base64Url text (pages, links, audit entries).</summary>
public static class PasskeyIds
{
    public static string Format(byte[] credentialId) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(credentialId);

    public static byte[]? Parse(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 1400)
        {
            return null;
        }

        try
        {
            return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The start of the id, enough to tell passkeys apart in the audit log.</summary>
    public static string Short(string id) => id.Length <= 12 ? id : id[..12];
}
