using AngleSharp.Dom;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.ComponentTests.Infrastructure;

namespace Cashout.Portal.ComponentTests.Cashouts;

public sealed class QuotePanelTests : IAsyncDisposable
{
    private static readonly DateTimeOffset QuotedAt = new(2026, 3, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly ComponentRenderer renderer = new() { User = TestUsers.Merchant("shop@example.test") };

    [Fact]
    public async Task Does_show_fee_net_debit_and_completion_of_every_method_side_by_side_when_given_quotes()
    {
        var panel = await RenderAsync(
            PayoutMethod.Payoneer,
            Quote(PayoutMethod.Payoneer, 100_000, fee: 2_000, minimum: 5_000, new DateTimeOffset(2026, 3, 11, 10, 0, 0, TimeSpan.Zero)),
            Quote(PayoutMethod.Tipalti, 100_000, fee: 1_500, minimum: 5_000, new DateTimeOffset(2026, 3, 13, 10, 0, 0, TimeSpan.Zero)));

        var payoneer = panel.QuerySelector("[data-testid=quote-payoneer]")!;
        var tipalti = panel.QuerySelector("[data-testid=quote-tipalti]")!;
        Assert.Equal(["$20.00", "$980.00", "$1,000.00", "By 11 Mar 2026"], Figures(payoneer));
        Assert.Equal(["$15.00", "$985.00", "$1,000.00", "By 13 Mar 2026"], Figures(tipalti));
        Assert.Contains("Selected", payoneer.VisibleTexts());
        Assert.DoesNotContain("Selected", tipalti.VisibleTexts());
    }

    [Fact]
    public async Task Does_warn_about_the_minimum_when_the_amount_is_below_a_methods_minimum()
    {
        var panel = await RenderAsync(null, Quote(PayoutMethod.Payoneer, 1_000, fee: 20, minimum: 5_000, QuotedAt.AddDays(3)));

        Assert.Equal("Below the $50.00 minimum", panel.QuerySelector("[data-testid=quote-minimum]")!.TextContent);
    }

    private static IReadOnlyList<string> Figures(IElement card) =>
        new[] { "quote-fee", "quote-net", "quote-debit", "quote-eta" }.Select(id => card.QuerySelector($"[data-testid={id}]")!.TextContent).ToList();

    private static Quote Quote(PayoutMethod method, long amount, long fee, long minimum, DateTimeOffset eta) => new(
        method, FeeSemantics.FeeTakenFromAmount, Money.Of(amount, Currency.USD), Money.Of(fee, Currency.USD), Money.Of(amount - fee, Currency.USD),
        Money.Of(amount, Currency.USD), Money.Of(minimum, Currency.USD), QuotedAt, eta, IsInstant: false);

    private Task<IDocument> RenderAsync(PayoutMethod? selected, params Quote[] quotes) =>
        renderer.RenderAsync<QuotePanel>(new() { [nameof(QuotePanel.Quotes)] = quotes, [nameof(QuotePanel.SelectedMethod)] = selected });

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}

public sealed class CashoutRequestFormTests : IAsyncDisposable
{
    private readonly ComponentRenderer renderer = new() { User = TestUsers.Merchant("shop@example.test") };

    [Fact]
    public async Task Does_show_amount_below_minimum_next_to_the_amount_when_the_rules_decline_the_amount()
    {
        var form = await RenderAsync(new CashoutDecline(CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum", "Minimum cashout to Payoneer is $50.00 (5000 cents)"));

        Assert.Equal(["Amount below minimum", "Minimum cashout to Payoneer is $50.00 (5000 cents)"], Message(form, "amount-message"));
        Assert.Equal("true", form.QuerySelector("input[name=cashout-amount]")!.GetAttribute("aria-invalid"));
        Assert.Null(form.QuerySelector("[data-testid=cashout-summary]"));
    }

    [Fact]
    public async Task Does_show_insufficient_balance_next_to_the_amount_when_the_balance_is_too_low()
    {
        var form = await RenderAsync(new CashoutDecline(CashoutDeclineRule.InsufficientBalance, "Insufficient balance", "Available balance $10.00 is less than the $60.00 this cashout debits."));

        Assert.Equal("Insufficient balance", Message(form, "amount-message")[0]);
    }

    [Fact]
    public async Task Does_show_payment_method_not_linked_next_to_the_method_with_a_link_to_link_it()
    {
        var form = await RenderAsync(new CashoutDecline(CashoutDeclineRule.PaymentMethodNotLinked, "Payment method not linked", "Link a tipalti account before requesting a cashout with it."));

        Assert.Equal(["Payment method not linked", "Link a tipalti account before requesting a cashout with it.", "Link a payment method"], Message(form, "method-message"));
        Assert.Equal("payment-methods", form.QuerySelector("[data-testid=method-message] a")!.GetAttribute("href"));
        Assert.DoesNotContain(Message(form, "amount-message"), text => text.StartsWith("Payment", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists")]
    [InlineData(CashoutDeclineRule.VerificationRequired, "Account verification required")]
    public async Task Does_show_account_rules_as_a_summary_alert_above_the_form(CashoutDeclineRule rule, string message)
    {
        var form = await RenderAsync(new CashoutDecline(rule, message, "Detail"));

        var summary = form.QuerySelector("[data-testid=cashout-summary]")!;
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.Equal(message, summary.QuerySelector(".rule-message")!.TextContent);
    }

    [Fact]
    public async Task Does_say_when_the_next_request_is_possible_when_the_cooldown_declines()
    {
        var retryAt = new DateTimeOffset(2026, 3, 7, 9, 30, 0, TimeSpan.Zero);
        var form = await RenderAsync(new CashoutDecline(CashoutDeclineRule.CooldownPeriod, "Cooldown period", "One cashout per 24 hours. Next request possible: 7 Mar 2026, 09:30 UTC.", retryAt));

        var summary = form.QuerySelector("[data-testid=cashout-summary]")!;
        Assert.Equal("Cooldown period", summary.QuerySelector(".rule-message")!.TextContent);
        // The time once, in the detail the rule wrote (the APIs return the same text).
        Assert.Equal(["One cashout per 24 hours. Next request possible: 7 Mar 2026, 09:30 UTC."], summary.QuerySelectorAll(".rule-detail").Select(detail => detail.TextContent).ToList());
    }

    [Fact]
    public async Task Does_show_the_parse_error_and_not_the_balance_when_the_amount_is_not_a_number()
    {
        var form = await renderer.RenderAsync<CashoutRequestForm>(new()
        {
            [nameof(CashoutRequestForm.Model)] = new CashoutFormModel { AmountText = "ten", Method = PayoutMethod.Payoneer },
            [nameof(CashoutRequestForm.AmountError)] = "Enter an amount as a number, for example 50.00.",
            [nameof(CashoutRequestForm.Available)] = Money.Of(500_000, Currency.USD),
        });

        Assert.Equal(["Enter an amount as a number, for example 50.00."], Message(form, "amount-message"));
    }

    [Fact]
    public async Task Does_show_the_available_balance_and_the_currency_symbol_when_nothing_is_wrong()
    {
        var form = await renderer.RenderAsync<CashoutRequestForm>(new()
        {
            [nameof(CashoutRequestForm.Model)] = new CashoutFormModel { AmountText = "100", CurrencyCode = "EUR" },
            [nameof(CashoutRequestForm.Available)] = Money.Of(123_456, Currency.EUR),
        });

        Assert.Equal(["Available: €1,234.56"], Message(form, "amount-message"));
        Assert.Equal("€", form.QuerySelector(".amount-symbol")!.TextContent);
        Assert.Empty(Message(form, "method-message"));
    }

    private static IReadOnlyList<string> Message(IDocument form, string testId) => form.QuerySelector($"[data-testid={testId}]")!.VisibleTexts();

    private Task<IDocument> RenderAsync(CashoutDecline decline) => renderer.RenderAsync<CashoutRequestForm>(new()
    {
        [nameof(CashoutRequestForm.Model)] = new CashoutFormModel { AmountText = "10", Method = PayoutMethod.Payoneer },
        [nameof(CashoutRequestForm.LinkedMethods)] = new[] { PayoutMethod.Payoneer },
        [nameof(CashoutRequestForm.Decline)] = decline,
        [nameof(CashoutRequestForm.Available)] = Money.Of(500_000, Currency.USD),
    });

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}

public sealed class CashoutTimelineTests : IAsyncDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 6, 10, 15, 0, TimeSpan.Zero);
    private readonly ComponentRenderer renderer = new() { User = TestUsers.Merchant("shop@example.test") };

    [Fact]
    public async Task Does_list_status_changes_with_actor_reason_and_provider_code_and_emails_in_order()
    {
        var timeline = await RenderAsync(
            new CashoutTimelineEntry(1, CashoutEventType.StatusChanged, At, null, CashoutStatus.Pending, ActorKind.Merchant, "shop@example.test", null, null, null),
            new CashoutTimelineEntry(2, CashoutEventType.EmailQueued, At, null, null, ActorKind.System, "Email", null, null, "Email \"Cashout requested\" queued to shop@example.test"),
            new CashoutTimelineEntry(3, CashoutEventType.StatusChanged, At.AddHours(1), CashoutStatus.Pending, CashoutStatus.OnHold, ActorKind.Admin, "Back office", "Check the payee", null, null),
            new CashoutTimelineEntry(4, CashoutEventType.StatusChanged, At.AddHours(2), CashoutStatus.Processing, CashoutStatus.Failed, ActorKind.Provider, "Provider (payoneer)", "Account closed", "808", null));

        var entries = timeline.QuerySelectorAll("[data-testid=timeline-entry]").ToList();
        Assert.Equal(4, entries.Count);
        Assert.Equal(["Requested: Pending", "6 Mar 2026, 10:15 UTC", "· by shop@example.test"], entries[0].VisibleTexts());
        Assert.Equal("Email \"Cashout requested\" queued to shop@example.test", entries[1].QuerySelector(".cashout-timeline-title")!.TextContent);
        Assert.Equal(["Pending → On hold", "6 Mar 2026, 11:15 UTC", "· by Back office", "Reason: Check the payee"], entries[2].VisibleTexts());
        Assert.Contains("Provider code: 808", entries[3].VisibleTexts());
        Assert.Equal("2026-03-06T10:15:00.0000000Z", entries[0].QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public async Task Does_say_nothing_happened_yet_when_the_timeline_is_empty()
    {
        var timeline = await RenderAsync();

        Assert.Equal(["Nothing has happened to this cashout yet."], timeline.Body!.VisibleTexts());
    }

    private Task<IDocument> RenderAsync(params CashoutTimelineEntry[] entries) =>
        renderer.RenderAsync<CashoutTimeline>(new() { [nameof(CashoutTimeline.Entries)] = entries });

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}

public sealed class CashoutStatusBadgeTests : IAsyncDisposable
{
    private readonly ComponentRenderer renderer = new();

    [Theory]
    [InlineData(CashoutStatus.OnHold, "ON HOLD")]
    [InlineData(CashoutStatus.Pending, "Pending")]
    [InlineData(CashoutStatus.Returned, "Returned")]
    public async Task Does_name_the_status_and_shout_on_hold(CashoutStatus status, string text)
    {
        var badge = await renderer.RenderAsync<CashoutStatusBadge>(new() { [nameof(CashoutStatusBadge.Status)] = status });

        Assert.Equal(text, badge.QuerySelector(".cashout-status")!.TextContent.Trim());
    }

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}
