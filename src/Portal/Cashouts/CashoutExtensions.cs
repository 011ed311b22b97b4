using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Portal.Balances;
using Cashout.Portal.Ledger;
using Cashout.Portal.PaymentMethods;
using Microsoft.Extensions.Options;

namespace Cashout.Portal.Cashouts;

public static class CashoutExtensions
{
    /// <summary>The money core: ledger, balances, payment methods and the cashout use cases.</summary>
    public static void AddCashoutCore(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CashoutOptions>()
            .BindConfiguration(CashoutOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CashoutOptions>>().Value.ToFeeSchedule());
        services.AddSingleton<QuoteCalculator>();
        services.AddSingleton<CashoutRequestRules>();

        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<CashoutChanges>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<CashoutNotifier>();
        services.AddScoped<CashoutTransitionRunner>();

        services.AddScoped<GetBalances>();
        services.AddScoped<FundMerchant>();
        services.AddScoped<SettleDueFunds>();
        services.AddScoped<LinkPaymentMethod>();
        services.AddScoped<UnlinkPaymentMethod>();
        services.AddScoped<QuoteCashout>();
        services.AddScoped<RequestCashout>();
        services.AddScoped<HoldCashout>();
        services.AddScoped<ReleaseCashout>();
        services.AddScoped<CancelCashout>();
        services.AddScoped<ProviderTransitions>();

        // Read models of the portal's cashout, balance and payment method pages.
        services.AddScoped<ListCashouts>();
        services.AddScoped<GetCashoutDetails>();
        services.AddScoped<GetCashoutsInFlight>();
        services.AddScoped<CheckCashoutRequest>();
        services.AddScoped<GetBalanceHistory>();
        services.AddScoped<ListPaymentMethods>();
    }
}
