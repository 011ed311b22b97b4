using Cashout.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.Admin.Users;

/// <summary>
/// The portal's command line for operators. <c>Cashout.Portal admin create --email EMAIL [--url PUBLIC_URL]</c>
/// migrates the database, makes sure the roles exist, creates the admin and prints its one-time setup link.
/// <c>Cashout.Portal database migrate</c> brings the configured database to the build's schema and exits, for
/// operators who migrate before they deploy (the nodes then find nothing to do at start).
/// Everything else on the command line starts the web server.
/// </summary>
public static class OperatorCommand
{
    public const string Usage = "usage: Cashout.Portal admin create --email EMAIL [--url PUBLIC_URL] | Cashout.Portal database migrate";

    public static bool IsOperatorCommand(string[] args) => args.Length > 0 && args[0] is "admin" or "database";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args[0] == "database")
        {
            return await MigrateAsync(app, args);
        }

        var email = Option(args, "--email");
        if (args.Length < 2 || args[1] != "create" || string.IsNullOrWhiteSpace(email))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var publicUrl = Option(args, "--url") ?? app.Configuration["Portal:PublicBaseUrl"];
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var root))
        {
            await Console.Error.WriteLineAsync("Give the portal's public address with --url https://portal.example.com (or set Portal:PublicBaseUrl); the setup link points there.");
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigration>().ApplyAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<PortalRoleSeed>().EnsureRolesAsync();
        var (admin, error) = await scope.ServiceProvider.GetRequiredService<CreateAdmin>().HandleAsync(email);
        if (admin is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 1;
        }

        var link = new Uri(new Uri(root.AbsoluteUri.TrimEnd('/') + "/"), admin.SetupPath);
        Console.WriteLine($"Created the admin {email.Trim()}.");
        Console.WriteLine("Open this one-time link to choose a password (valid for 24 hours); two-factor enrolment follows at first sign-in:");
        Console.WriteLine(link.AbsoluteUri);
        return 0;
    }

    private static async Task<int> MigrateAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || args[1] != "migrate")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigration>().ApplyAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<PortalRoleSeed>().EnsureRolesAsync();
        Console.WriteLine(pending.Count == 0
            ? $"The {db.Database.ProviderName} database was at the latest migration already."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
