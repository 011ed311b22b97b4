using System.Security.Cryptography;
using System.Text.Json;

namespace Cashout.Portal.Audit;

/// <summary>What checking the chain found: intact, or the first entry where it breaks and why.</summary>
public sealed record AuditChainReport(long EntriesChecked, long? BrokenAtId, string? Problem, string? HeadHash)
{
    public bool IsIntact => BrokenAtId is null;
}

/// <summary>
/// The audit log's hash chain. Each entry's hash is SHA-256 over a canonical JSON array of all its fields, the
/// previous entry's hash included, so an entry changed in place no longer matches its own hash, and an entry
/// removed, inserted or re-hashed breaks the link of the entry after it. Only rewriting every later entry too would
/// go unnoticed: the head hash shown after a check is what an admin can keep elsewhere to rule that out.
/// </summary>
public static class AuditChain
{
    public static string HashOf(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            // A JSON array: every field is delimited and escaped, so no two different entries share a text.
            json.WriteStartArray();
            json.WriteNumberValue(entry.Id);
            json.WriteNumberValue(entry.At.ToUnixTimeMilliseconds());
            json.WriteStringValue(entry.Category.ToString());
            json.WriteStringValue(entry.Action);
            json.WriteStringValue(entry.ActorKind.ToString());
            WriteNullable(json, entry.ActorId);
            WriteNullable(json, entry.ActorName);
            WriteNullable(json, entry.IpAddress);
            WriteNullable(json, entry.SubjectType);
            WriteNullable(json, entry.SubjectId);
            json.WriteStringValue(entry.Summary);
            WriteNullable(json, entry.Before);
            WriteNullable(json, entry.After);
            json.WriteStringValue(entry.PreviousHash);
            json.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Checks entries in id order; stops at the first break.</summary>
    public static async Task<AuditChainReport> VerifyAsync(IAsyncEnumerable<AuditEntry> entriesInIdOrder, CancellationToken cancellationToken)
    {
        long checkedCount = 0;
        AuditEntry? previous = null;
        await foreach (var entry in entriesInIdOrder.WithCancellation(cancellationToken))
        {
            var expectedId = (previous?.Id ?? 0) + 1;
            if (entry.Id != expectedId)
            {
                return Broken(checkedCount, entry.Id, $"Entry #{entry.Id} follows #{previous?.Id ?? 0}: {entry.Id - expectedId} entr{(entry.Id - expectedId == 1 ? "y is" : "ies are")} missing (removed).");
            }

            if (HashOf(entry) != entry.Hash)
            {
                return Broken(checkedCount, entry.Id, $"Entry #{entry.Id} was altered: its content no longer matches its hash.");
            }

            if (entry.PreviousHash != (previous?.Hash ?? ""))
            {
                return Broken(checkedCount, entry.Id, $"Entry #{entry.Id} does not link to entry #{previous?.Id ?? 0}: the entry before it was changed, removed or replaced.");
            }

            checkedCount++;
            previous = entry;
        }

        return new AuditChainReport(checkedCount, null, null, previous?.Hash);
    }

    private static AuditChainReport Broken(long checkedCount, long id, string problem) => new(checkedCount, id, problem, null);

    private static void WriteNullable(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }
}
