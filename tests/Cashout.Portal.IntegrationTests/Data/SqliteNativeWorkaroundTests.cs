using Microsoft.Data.Sqlite;

namespace Cashout.Portal.IntegrationTests.Data;

/// <summary>Proves the SQLite workaround (docs/decisions/004-sqlite-workaround.md): delete with it.</summary>
public sealed class SqliteNativeWorkaroundTests
{
    [Fact]
    public void Sqlite_opens_and_answers_a_query_when_only_SQLitePCLRaw_2_0_6_ships()
    {
        // Touch a host type first, as the app does: its module initializer installs the resolver.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(Program).Module.ModuleHandle);
        var path = Path.Combine(Path.GetTempPath(), $"cashout-sqlite-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version();";
            var version = (string)command.ExecuteScalar()!;

            Assert.Matches(@"^3\.\d+\.\d+$", version);
            var core = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "SQLitePCLRaw.core");
            Assert.Equal(new Version(2, 0, 6, 0), new Version(core.GetName().Version!.Major, core.GetName().Version!.Minor, core.GetName().Version!.Build, 0));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
