using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cashout.Portal.Data;

/// <summary>
/// How `dotnet ef` makes the context when it adds a migration: the SQLite provider, without building the app's host
/// (no configuration, no options validation, no hosted services). The connection string is the app's default file
/// (relative to the repository root) and is used only if someone runs `dotnet ef database update` by hand; the app
/// migrates its database itself at start. Identity reads its schema version from the application's IdentityOptions,
/// so the same version as <see cref="Identity.IdentityExtensions.AddPortalIdentity"/> sets is given here.
/// </summary>
internal sealed class PortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var identity = new ServiceCollection()
            .Configure<IdentityOptions>(options => options.Stores.SchemaVersion = Identity.IdentityExtensions.SchemaVersion)
            .BuildServiceProvider();
        return new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite("Data Source=data/cashout.db")
            .UseApplicationServiceProvider(identity)
            .Options);
    }
}
