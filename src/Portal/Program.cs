using Cashout.Portal;
using Cashout.Portal.Admin.Users;

var builder = WebApplication.CreateBuilder(PortalApp.HostArguments(args));
builder.AddPortal();

var app = builder.Build();
if (OperatorCommand.IsOperatorCommand(args))
{
    return await OperatorCommand.RunAsync(app, args);
}

app.UsePortal();
await app.RunAsync();
return 0;

/// <summary>The entry point, public so that integration tests can host the real app.</summary>
public partial class Program;
