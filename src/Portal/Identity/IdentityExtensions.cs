using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity.Passkeys;
using Cashout.Portal.Identity.Sessions;
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
    /// <summary>Identity's tables: version 3 adds AspNetUserPasskeys (migration Passkeys, ADR 030).</summary>
    public static readonly Version SchemaVersion = IdentitySchemaVersions.Version3;

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
            // After Identity's security-stamp check: the cookie's session must still be signed in.
            var checkStamp = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await checkStamp(context);
                await SessionValidation.ValidateAsync(context);
            };
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
                options.Stores.SchemaVersion = SchemaVersion;
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

        // Open sessions pick up security-stamp changes within this interval; an ended session (sign-out, another
        // session's "sign out", a password or role change) is refused at its very next request (SessionValidation).
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((options, time) =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            // A passed check re-creates the principal from the database: the cookie's own claims (its session, when
            // the user re-authenticated, how it signed in) carry over.
            options.OnRefreshingPrincipal = refreshing =>
            {
                var kept = refreshing.CurrentPrincipal?.Claims.Where(c => c.Type is SessionClaims.SessionId or StepUpPolicy.ClaimType or "amr").ToList() ?? [];
                if (refreshing.NewPrincipal?.Identities.FirstOrDefault() is { } identity)
                {
                    foreach (var claim in kept.Where(c => !identity.HasClaim(c.Type, c.Value)))
                    {
                        identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value, claim.ValueType));
                    }
                }

                return Task.CompletedTask;
            };
            options.TimeProvider = time;
        });
        services.AddScoped<IEmailSender<PortalUser>, IdentityEmailSender>();
        services.AddSingleton<UnknownEmailLockout>();
        services.AddScoped<RegisterMerchant>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<ListSessions>();
        services.AddScoped<EndSessions>();
        // Passkeys need the person to be verified on the device (PIN or biometric): that is what makes one a second factor.
        services.Configure<IdentityPasskeyOptions>(passkeys => passkeys.UserVerificationRequirement = "required");
        services.AddScoped<AccountChange>();
        services.AddScoped<GetSecurityOverview>();
        services.AddScoped<ListPasskeys>();
        services.AddScoped<AddPasskey>();
        services.AddScoped<RenamePasskey>();
        services.AddScoped<RemovePasskey>();
        services.AddOptions<StepUpOptions>().BindConfiguration(StepUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StepUpPolicy>();
    }

    public static void MapPortalIdentity(this WebApplication app)
    {
        app.MapAdditionalIdentityEndpoints();
        app.MapPasskeyEndpoints();
    }
}
