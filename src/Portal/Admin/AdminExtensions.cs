using Cashout.Portal.Admin.Emails;
using Cashout.Portal.Admin.Jobs;
using Cashout.Portal.Admin.Merchants;

namespace Cashout.Portal.Admin;

public static class AdminExtensions
{
    public static void AddBackOffice(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ListMerchants>();
        builder.Services.AddScoped<ListJobs>();
        builder.Services.AddScoped<ControlJob>();
        builder.Services.AddScoped<ListOutbox>();
        builder.Services.AddScoped<ResendEmail>();
    }
}
