using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Cashout.Portal.Data;

/// <summary>
/// The SQLite workaround of docs/decisions/004-sqlite-workaround.md, in one place.
/// Microsoft.Data.Sqlite 9.x is compiled against SQLitePCLRaw 2.1.x, but this registry holds only 2.0.6,
/// which is what ships next to the app. Without this hook the runtime asks for SQLitePCLRaw.core 2.1.x and
/// the app dies at start with a FileNotFoundException. The 2.0.6 API is what Microsoft.Data.Sqlite calls,
/// so binding the request to the file we ship is safe (SqliteNativeWorkaroundTests prove it).
/// Delete this file, its test and the two pinned package references when the registry has 2.1.x.
/// </summary>
internal static class SqliteNativeWorkaround
{
    private static int installed;

    // A module initializer runs before any code of this assembly, so the hook is in place before
    // anything can touch SQLite: in the app, in WebApplicationFactory tests and in benchmarks alike.
    [ModuleInitializer]
    internal static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1)
        {
            return;
        }

        AssemblyLoadContext.Default.Resolving += LoadShippedSqlitePclRaw;
    }

    private static Assembly? LoadShippedSqlitePclRaw(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("SQLitePCLRaw.", StringComparison.Ordinal))
        {
            return null;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
        return File.Exists(shipped) ? context.LoadFromAssemblyPath(shipped) : null;
    }
}
