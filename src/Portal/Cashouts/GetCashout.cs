using Cashout.Domain.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// Reads one cashout by its id or by the merchant's external id. A merchant sees only its own: another
/// merchant's cashout is simply not found, so ids reveal nothing.
/// </summary>
public sealed class GetCashout(IDbContextFactory<PortalDbContext> dbFactory, SqliteReaders? sqliteReaders = null)
{
    // The status reads are the machine APIs' hottest call, so they skip EF Core's query pipeline: profiled under load,
    // even a compiled query spent a third of its time in EF Core (materialising its executor's delegates on every call)
    // around the SQLite statement itself (docs/performance.md). On SQLite they run on connections that keep the
    // statement prepared (SqliteReaders). The columns are read by position, one row at most; the SQL is the same on
    // SQLite and PostgreSQL (the migrations keep the model's names, quoted).
    private const string StatusColumns = """SELECT "Id", "MerchantId", "Status", "RejectionCode", "RejectionReason", "ExternalId" FROM "Cashouts" """;
    private const string StatusByIdSql = StatusColumns + """WHERE "Id" = @id""";
    private const string StatusByExternalIdSql = StatusColumns + """WHERE "MerchantId" = @merchantId AND "ExternalId" = @externalId""";

    public async Task<CashoutStatusView?> StatusByIdAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default)
    {
        var cashout = await ReadStatusAsync(StatusByIdSql, [("id", cashoutId)], cancellationToken);
        return cashout is not null && caller.CanActFor(cashout.MerchantId) ? cashout : null;
    }

    public async Task<CashoutStatusView?> StatusByExternalIdAsync(Caller caller, string merchantId, string externalId, CancellationToken cancellationToken = default)
    {
        if (!caller.CanActFor(merchantId))
        {
            return null;
        }

        return await ReadStatusAsync(StatusByExternalIdSql, [("merchantId", merchantId), ("externalId", externalId)], cancellationToken);
    }

    private async Task<CashoutStatusView?> ReadStatusAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        if (sqliteReaders is not null)
        {
            return await sqliteReaders.ReadOneAsync(sql, parameters, StatusView, cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StatusView(reader) : null;
    }

    private static CashoutStatusView StatusView(System.Data.Common.DbDataReader row) => new(
        row.GetInt64(0),
        row.GetString(1),
        Enum.Parse<CashoutStatus>(row.GetString(2)),
        row.IsDBNull(3) ? null : row.GetString(3),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5));

    public async Task<MerchantCashout?> ByIdAsync(Caller caller, long cashoutId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cashout = await db.Cashouts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cashoutId, cancellationToken);
        return cashout is not null && caller.CanActFor(cashout.MerchantId) ? cashout : null;
    }
}

/// <summary>What a status answer needs of a cashout: where it is and, when it failed, why.</summary>
public sealed record CashoutStatusView(long Id, string MerchantId, CashoutStatus Status, string? RejectionCode, string? RejectionReason, string? ExternalId);
