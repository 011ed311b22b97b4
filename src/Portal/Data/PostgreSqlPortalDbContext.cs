using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Cashout.Portal.Data;

/// <summary>
/// The portal's database on PostgreSQL: the same model, its own migrations set (src/Portal/Data/Migrations/PostgreSql,
/// docs/decisions/013-ef-core-migrations.md), and the Data Protection keys, which several nodes must share.
/// </summary>
public sealed partial class PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options)
    : PortalDbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // The model's filter and check SQL names columns unquoted, as SQLite reads them; PostgreSQL folds unquoted
        // names to lower case, and the columns are "PascalCase". Quote every column name of the table outside literals.
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);
            foreach (var index in entity.GetIndexes().Where(i => i.GetFilter() is not null))
            {
                index.SetFilter(QuoteColumns(index.GetFilter()!, columns));
            }

            foreach (var check in entity.GetCheckConstraints().ToList())
            {
                entity.RemoveCheckConstraint(check.ModelName);
                entity.AddCheckConstraint(check.ModelName, QuoteColumns(check.Sql, columns)).Name = check.Name;
            }
        }
    }

    internal static string QuoteColumns(string sql, IReadOnlySet<string> columns) =>
        string.Concat(Literal().Split(sql).Select((part, i) => i % 2 == 1
            ? part
            : Word().Replace(part, word => columns.Contains(word.Value) ? $"\"{word.Value}\"" : word.Value)));

    /// <summary>Splits into text and single-quoted literals (odd positions), which stay as they are.</summary>
    [GeneratedRegex("('(?:[^']|'')*')")]
    private static partial Regex Literal();

    [GeneratedRegex("(?<![\"\\w])[A-Za-z_]\\w*(?![\"\\w])")]
    private static partial Regex Word();
}
