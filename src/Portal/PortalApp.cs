using Cashout.Portal.Api.Infrastructure;
using Cashout.Portal.Admin;
using Cashout.Portal.Api;
using Cashout.Portal.Audit;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Components;
using Cashout.Portal.Data;
using Cashout.Portal.Email;
using Cashout.Portal.Identity;
using Cashout.Portal.Jobs;
using Cashout.Portal.Providers;
using Cashout.Portal.Sandbox;
using Cashout.Portal.Security;

namespace Cashout.Portal;

/// <summary>
/// The composition root: every feature's services, then the request pipeline. Program.cs calls it, and so do the
/// integration tests that serve the real app over Kestrel, so both run exactly the same app.
/// </summary>
public static class PortalApp
{
    /// <summary>
    /// The host's arguments: <paramref name="args"/>, after the portal's own default that its settings are read once, at
    /// start (docs/decisions/038-settings-read-at-start.md). A reload on change watches the whole content root, where
    /// the SQLite file and its WAL live: every commit woke the watcher's thread (8% of the CPU of a cashout request).
    /// An operator may still turn it on with <c>--hostBuilder:reloadConfigOnChange=true</c>.
    /// </summary>
    public static string[] HostArguments(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.AddResponseHardening();
        builder.AddPortalAddress();
        builder.AddPortalData();
        builder.AddPortalDataProtection();
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
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseResponseHardening();
        app.UseRouting(); // after the hardening, which answers HEAD as GET before an endpoint is chosen
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesForPagesOnly();
        app.UseCookiePolicy();
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
        app.MapJobsDashboard();

        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        return app;
    }
}
