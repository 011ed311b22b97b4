using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>Reads a SQLite file directly, over a connection of its own: what is in it, whatever the app thinks.</summary>
public static class SqliteFile
{
    /// <summary>Tables the database engine or a migration tool keeps for itself, not the portal's schema.</summary>
    private static readonly string[] Bookkeeping = ["__SchemaVersions", "__EFMigrationsHistory", "__EFMigrationsLock"];

    /// <summary>Another writer holding the file's write lock (BEGIN IMMEDIATE) until the returned connection is disposed.</summary>
    public static async Task<SqliteConnection> LockAsync(string path)
    {
        var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        await writer.OpenAsync();
        await using var begin = writer.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return writer;
    }

    public static List<object[]> Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public static List<string> Tables(string path) =>
        [.. Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => (string)r[0])];

    /// <summary>
    /// The portal's schema, one sorted line per column or table constraint (as declared, so types, NOT NULL, keys,
    /// AUTOINCREMENT, defaults, foreign keys and CHECK constraints count), per index and per trigger (their SQL).
    /// Column order does not count: a column added by ALTER TABLE sits last, where a new table would declare it earlier.
    /// </summary>
    public static List<string> DescribeSchema(string path)
    {
        var lines = new List<string>();
        foreach (var row in Query(path, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"))
        {
            var (type, name, table, sql) = ((string)row[0], (string)row[1], (string)row[2], (string)row[3]);
            if (Bookkeeping.Contains(table))
            {
                continue;
            }

            if (type == "table")
            {
                lines.AddRange(Definitions(sql).Select(definition => $"{name}: {definition}"));
            }
            else
            {
                lines.Add($"{table} {type} {name}: {sql}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Every row of every table but the bookkeeping ones, as sorted text: equal means nothing was lost or changed.</summary>
    public static SortedDictionary<string, List<string>> Rows(string path)
    {
        var all = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in Query(path, "SELECT name FROM sqlite_master WHERE type = 'table'").Select(r => (string)r[0]))
        {
            if (Bookkeeping.Contains(table))
            {
                continue;
            }

            var columns = Query(path, $"SELECT name FROM pragma_table_info('{table}') ORDER BY name").Select(r => (string)r[0]).ToList();
            var select = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\"";
            var rows = Query(path, select)
                .Select(values => string.Join(" | ", columns.Select((column, i) => $"{column}={Format(values[i])}")))
                .ToList();
            rows.Sort(StringComparer.Ordinal);
            all[table] = rows;
        }

        return all;
    }

    private static string Format(object value) => value switch
    {
        DBNull => "NULL",
        string text => $"'{text}'",
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The comma-separated parts between a CREATE TABLE's outer parentheses, whitespace collapsed.</summary>
    private static IEnumerable<string> Definitions(string createTable)
    {
        var body = createTable[(createTable.IndexOf('(', StringComparison.Ordinal) + 1)..createTable.LastIndexOf(')')];
        var depth = 0;
        var quoted = false;
        var part = new StringBuilder();
        foreach (var c in body)
        {
            quoted ^= c == '\'';
            depth += quoted ? 0 : c switch { '(' => 1, ')' => -1, _ => 0 };
            if (c == ',' && depth == 0 && !quoted)
            {
                yield return Collapse(part);
                part.Clear();
            }
            else
            {
                part.Append(c);
            }
        }

        yield return Collapse(part);
    }

    private static string Collapse(StringBuilder part) =>
        string.Join(' ', part.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
