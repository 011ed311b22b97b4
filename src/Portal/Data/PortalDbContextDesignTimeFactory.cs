using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cashout.Portal.Data;

/// <summary>
/// How `dotnet ef` makes the context when it adds a migration: the SQLite provider, without building the app's host
/// (no configuration, no options validation, no hosted services). The connection string is the app's default file
/// (relative to the repository root) and is used only if someone runs `dotnet ef database update` by hand; the app
/// migrates its database itself at start.
/// </summary>
internal sealed class PortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=data/cashout.db").Options);
}
