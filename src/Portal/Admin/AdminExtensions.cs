using Cashout.Portal.Admin.Cashouts;
using Cashout.Portal.Admin.Merchants;

namespace Cashout.Portal.Admin;

public static class AdminExtensions
{
    public static void AddBackOffice(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ListMerchants>();
        builder.Services.AddScoped<AdminCashoutActions>();
    }
}
