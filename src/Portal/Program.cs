using Cashout.Portal.Admin;
using Cashout.Portal.Audit;
using Cashout.Portal.Api;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Components;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Jobs;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalData();
builder.AddPortalIdentity();
builder.AddPortalEmail();
builder.AddCashoutCore();
builder.AddCashoutJobs();
builder.AddPayoutProviders();
builder.AddProviderSandbox();
builder.AddAuditLog();
builder.AddBackOffice();
builder.AddCashoutApis();
builder.AddPortalUi();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found");
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapPortalUi();
app.MapPortalIdentity();
app.MapProviderWebhooks();
app.MapProviderSandbox();
app.MapCashoutExport();
app.MapCashoutApis();

app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();

app.Run();

/// <summary>The entry point, public so that integration tests can host the real app.</summary>
public partial class Program;
