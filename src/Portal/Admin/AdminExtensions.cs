using Cashout.Portal.Admin.Cashouts;
using Cashout.Portal.Admin.Declines;
using Cashout.Portal.Admin.Emails;
using Cashout.Portal.Admin.Jobs;
using Cashout.Portal.Admin.Merchants;
using Cashout.Portal.Admin.Users;
using Cashout.Portal.Merchants;

namespace Cashout.Portal.Admin;

public static class AdminExtensions
{
    /// <summary>Merchant verification (the merchant's side and the admins' review) and the back office's lists and actions.</summary>
    public static void AddBackOffice(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<VerificationChanges>();
        services.AddScoped<GetVerification>();
        services.AddScoped<SubmitBusinessDetails>();
        services.AddScoped<ReviewMerchant>();
        services.AddScoped<ApproveMerchant>();
        services.AddScoped<RejectMerchant>();

        services.AddScoped<ListMerchants>();
        services.AddScoped<ListDeclinedAttempts>();
        services.AddScoped<ListUsers>();
        services.AddScoped<ChangeUserRole>();
        services.AddScoped<LockUser>();
        services.AddScoped<ResetTwoFactor>();
        services.AddScoped<CreateAdmin>();

        services.AddScoped<ListJobs>();
        services.AddScoped<ControlJob>();
        services.AddScoped<ListOutbox>();
        services.AddScoped<ResendEmail>();
        services.AddScoped<AdminCashoutActions>();
    }
}
