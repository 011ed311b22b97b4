using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cashout.Portal.Data;

/// <summary>
/// How `dotnet ef` makes the SQLite context when it adds a migration, without building the app's host (no
/// configuration, no options validation, no hosted services). The connection string is the app's default file
/// (relative to the repository root) and is used only if someone runs `dotnet ef database update` by hand; the app
/// migrates its database itself at start.
/// </summary>
internal sealed class PortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=data/cashout.db").Options);
}

/// <summary>
/// The same for the PostgreSQL context (`--context PostgreSqlPortalDbContext`). Adding a migration connects to
/// nothing; the connection string (env CASHOUT_DESIGN_POSTGRES, else a local default) only serves a hand-run
/// `dotnet ef database update`.
/// </summary>
internal sealed class PostgreSqlPortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("CASHOUT_DESIGN_POSTGRES") ?? "Host=127.0.0.1;Database=cashout;Username=postgres")
            .Options);
}
