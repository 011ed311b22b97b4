using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

public static class PortalPolicies
{
    public const string Admin = "Admin";
    public const string Merchant = "Merchant";
}

public static class IdentityExtensions
{
    public static void AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityUserAccessor>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        if (!development)
        {
            // Every cookie the portal sets (Identity's two-factor cookies, antiforgery, status messages) is Secure.
            services.Configure<CookiePolicyOptions>(policy => policy.Secure = CookieSecurePolicy.Always);
        }

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.LogoutPath = "/Account/Logout";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            cookie.Cookie.Name = "cashout.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Outside Development the cookie never travels without TLS (the proxy in front terminates it).
            cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });

        // Admins must have two-factor on: read from the database per check; without it they are sent to set it up.
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Admin, policy => policy.RequireRole(PortalRoles.Admin).AddRequirements(new TwoFactorEnabledRequirement()))
            .AddPolicy(PortalPolicies.Merchant, policy => policy.RequireRole(PortalRoles.Merchant));

        services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.SignIn.RequireConfirmedEmail = true;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddUserManager<PortalUserManager>()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();
        services.AddSingleton<TwoFactorEnabledHandler>();
        services.AddSingleton<IAuthorizationHandler>(sp => sp.GetRequiredService<TwoFactorEnabledHandler>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminTwoFactorRedirect>();
        services.AddHttpContextAccessor();
        services.AddScoped<ClientAddress>();
        services.AddScoped<CurrentCaller>();

        // Open sessions pick up role and security-stamp changes within this interval.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((options, time) =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.TimeProvider = time;
        });
        services.AddScoped<IEmailSender<PortalUser>, IdentityEmailSender>();
        services.AddScoped<RegisterMerchant>();
        services.AddOptions<StepUpOptions>().BindConfiguration(StepUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StepUpPolicy>();
    }

    public static void MapPortalIdentity(this WebApplication app)
    {
        app.MapAdditionalIdentityEndpoints();
    }
}
