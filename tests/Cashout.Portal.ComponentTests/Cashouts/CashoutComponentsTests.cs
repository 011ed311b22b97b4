using AngleSharp.Dom;
using Bunit;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Cashouts;
using Cashout.Portal.ComponentTests.Infrastructure;

namespace Cashout.Portal.ComponentTests.Cashouts;

public sealed class QuotePanelTests : PortalTestContext
{
    private static readonly DateTimeOffset QuotedAt = new(2026, 3, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Does_show_fee_net_debit_and_completion_of_every_method_side_by_side_when_given_quotes()
    {
        var panel = RenderPanel(
            PayoutMethod.Payoneer,
            Quote(PayoutMethod.Payoneer, 100_000, fee: 2_000, minimum: 5_000, new DateTimeOffset(2026, 3, 11, 10, 0, 0, TimeSpan.Zero)),
            Quote(PayoutMethod.Tipalti, 100_000, fee: 1_500, minimum: 5_000, new DateTimeOffset(2026, 3, 13, 10, 0, 0, TimeSpan.Zero)));

        var payoneer = panel.Find("[data-testid=quote-payoneer]");
        var tipalti = panel.Find("[data-testid=quote-tipalti]");
        Assert.Equal(["$20.00", "$980.00", "$1,000.00", "By 11 Mar 2026"], Figures(payoneer));
        Assert.Equal(["$15.00", "$985.00", "$1,000.00", "By 13 Mar 2026"], Figures(tipalti));
        Assert.Contains("Selected", payoneer.VisibleTexts());
        Assert.DoesNotContain("Selected", tipalti.VisibleTexts());
    }

    [Fact]
    public void Does_warn_about_the_minimum_when_the_amount_is_below_a_methods_minimum()
    {
        var panel = RenderPanel(null, Quote(PayoutMethod.Payoneer, 1_000, fee: 20, minimum: 5_000, QuotedAt.AddDays(3)));

        Assert.Equal("Below the $50.00 minimum", panel.Find("[data-testid=quote-minimum]").TextContent);
    }

    [Fact]
    public void Does_choose_the_method_of_the_quote_whose_Use_button_is_clicked()
    {
        PayoutMethod? chosen = null;
        var panel = Render<QuotePanel>(p => p
            .Add(c => c.Quotes, [Quote(PayoutMethod.Payoneer, 100_000, 2_000, 5_000, QuotedAt), Quote(PayoutMethod.Tipalti, 100_000, 1_500, 5_000, QuotedAt)])
            .Add(c => c.SelectedMethod, PayoutMethod.Payoneer)
            .Add(c => c.OnSelect, method => chosen = method));

        // The selected method offers no button; the other one does.
        Assert.Empty(panel.Find("[data-testid=quote-payoneer]").QuerySelectorAll("button"));
        panel.Find("[data-testid=quote-tipalti] button").Click();

        Assert.Equal(PayoutMethod.Tipalti, chosen);
    }

    private static IReadOnlyList<string> Figures(IElement card) =>
        new[] { "quote-fee", "quote-net", "quote-debit", "quote-eta" }.Select(id => card.QuerySelector($"[data-testid={id}]")!.TextContent).ToList();

    private static Quote Quote(PayoutMethod method, long amount, long fee, long minimum, DateTimeOffset eta) => new(
        method, FeeSemantics.FeeTakenFromAmount, Money.Of(amount, Currency.USD), Money.Of(fee, Currency.USD), Money.Of(amount - fee, Currency.USD),
        Money.Of(amount, Currency.USD), Money.Of(minimum, Currency.USD), QuotedAt, eta, IsInstant: false);

    private IRenderedComponent<QuotePanel> RenderPanel(PayoutMethod? selected, params Quote[] quotes) =>
        Render<QuotePanel>(p => p.Add(c => c.Quotes, quotes).Add(c => c.SelectedMethod, selected));
}

public sealed class CashoutRequestFormTests : PortalTestContext
{
    [Fact]
    public void Does_show_amount_below_minimum_next_to_the_amount_when_the_rules_decline_the_amount()
    {
        var form = RenderForm(new CashoutDecline(CashoutDeclineRule.AmountBelowMinimum, "Amount below minimum", "Minimum cashout to Payoneer is $50.00 (5000 cents)"));

        Assert.Equal(["Amount below minimum", "Minimum cashout to Payoneer is $50.00 (5000 cents)"], Message(form, "amount-message"));
        var amount = form.Find("input#cashout-amount");
        Assert.Equal("true", amount.GetAttribute("aria-invalid"));
        // The message is the field's description, so a screen reader reads it with the field.
        Assert.Contains("cashout-amount-message", amount.GetAttribute("aria-describedby") ?? "");
        Assert.Empty(form.FindAll("[data-testid=cashout-summary]"));
    }

    [Fact]
    public void Does_show_insufficient_balance_next_to_the_amount_when_the_balance_is_too_low()
    {
        var form = RenderForm(new CashoutDecline(CashoutDeclineRule.InsufficientBalance, "Insufficient balance", "Available balance $10.00 is less than the $60.00 this cashout debits."));

        Assert.Equal("Insufficient balance", Message(form, "amount-message")[0]);
    }

    [Fact]
    public void Does_show_payment_method_not_linked_next_to_the_method_with_a_link_to_link_it()
    {
        var form = RenderForm(new CashoutDecline(CashoutDeclineRule.PaymentMethodNotLinked, "Payment method not linked", "Link a tipalti account before requesting a cashout with it."));

        Assert.Equal(["Payment method not linked", "Link a tipalti account before requesting a cashout with it.", "Link a payment method"], Message(form, "method-message"));
        Assert.Equal("payment-methods", form.Find("[data-testid=method-message] a").GetAttribute("href"));
        Assert.DoesNotContain(Message(form, "amount-message"), text => text.StartsWith("Payment", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CashoutDeclineRule.PendingCashoutExists, "Pending cashout exists")]
    [InlineData(CashoutDeclineRule.CooldownPeriod, "Cooldown period")]
    public void Does_show_account_rules_as_a_summary_alert_above_the_form(CashoutDeclineRule rule, string message)
    {
        var form = RenderForm(new CashoutDecline(rule, message, "Detail"));

        var summary = form.Find("[data-testid=cashout-summary]");
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.Equal(message, summary.QuerySelector(".rule-message")!.TextContent);
    }

    [Fact]
    public void Does_leave_a_missing_verification_to_the_banner_above_so_it_is_said_once()
    {
        var form = RenderForm(new CashoutDecline(CashoutDeclineRule.VerificationRequired, "Account verification required", "Detail"));

        Assert.Empty(form.FindAll("[data-testid=cashout-summary]"));
        Assert.DoesNotContain("verification", form.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Does_say_when_the_next_request_is_possible_when_the_cooldown_declines()
    {
        var retryAt = new DateTimeOffset(2026, 3, 7, 9, 30, 0, TimeSpan.Zero);
        var form = RenderForm(new CashoutDecline(CashoutDeclineRule.CooldownPeriod, "Cooldown period", "One cashout per 24 hours. Next request possible: 7 Mar 2026, 09:30 UTC.", retryAt));

        var summary = form.Find("[data-testid=cashout-summary]");
        Assert.Equal("Cooldown period", summary.QuerySelector(".rule-message")!.TextContent);
        // The time once, in the detail the rule wrote (the APIs return the same text).
        Assert.Equal(["One cashout per 24 hours. Next request possible: 7 Mar 2026, 09:30 UTC."], summary.QuerySelectorAll(".rule-detail").Select(detail => detail.TextContent).ToList());
    }

    [Fact]
    public void Does_show_the_parse_error_and_not_the_balance_when_the_amount_is_not_a_number()
    {
        var form = Render<CashoutRequestForm>(p => p
            .Add(c => c.Model, new CashoutFormModel { AmountText = "ten", Method = PayoutMethod.Payoneer })
            .Add(c => c.AmountError, "Enter an amount as a number, for example 50.00.")
            .Add(c => c.Available, Money.Of(500_000, Currency.USD)));

        Assert.Equal(["Enter an amount as a number, for example 50.00."], Message(form, "amount-message"));
    }

    [Fact]
    public void Does_show_the_available_balance_and_the_currency_symbol_when_nothing_is_wrong()
    {
        var form = Render<CashoutRequestForm>(p => p
            .Add(c => c.Model, new CashoutFormModel { AmountText = "100", CurrencyCode = "EUR" })
            .Add(c => c.Available, Money.Of(123_456, Currency.EUR)));

        Assert.Equal(["Available: €1,234.56"], Message(form, "amount-message"));
        Assert.Equal("€", form.Find(".mud-input-adornment-start").TextContent.Trim());
        Assert.Empty(Message(form, "method-message"));
    }

    [Fact]
    public void Does_hand_every_keystroke_of_the_amount_to_the_page_so_the_quotes_follow_the_typing()
    {
        var model = new CashoutFormModel { Method = PayoutMethod.Payoneer };
        var seen = new List<string?>();
        var form = Render<CashoutRequestForm>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.OnChanged, () => seen.Add(model.AmountText)));

        form.Find("input#cashout-amount").Input("1");
        form.Find("input#cashout-amount").Input("12");
        form.Find("input#cashout-amount").Input("125.50");

        Assert.Equal(["1", "12", "125.50"], seen);
        Assert.Equal("125.50", model.AmountText);
    }

    [Fact]
    public void Does_fill_the_amount_with_the_full_balance_and_tell_the_page_when_the_shortcut_is_pressed()
    {
        var model = new CashoutFormModel { AmountText = "10", Method = PayoutMethod.Payoneer };
        var changes = 0;
        var form = Render<CashoutRequestForm>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.Available, Money.Of(123_456, Currency.USD))
            .Add(c => c.FullBalance, Money.Of(123_456, Currency.USD))
            .Add(c => c.OnChanged, () => changes++));

        FullBalanceButton(form).Single().Click();

        Assert.Equal("1234.56", model.AmountText);
        Assert.Equal(1, changes);
        Assert.Equal("1234.56", form.Find("input#cashout-amount").GetAttribute("value"));
    }

    [Fact]
    public void Does_not_offer_the_full_balance_when_no_full_balance_request_would_be_accepted()
    {
        var form = Render<CashoutRequestForm>(p => p
            .Add(c => c.Model, new CashoutFormModel { Method = PayoutMethod.Payoneer })
            .Add(c => c.Available, Money.Of(4_999, Currency.USD)));

        Assert.Empty(FullBalanceButton(form));
        Assert.Equal(["Available: $49.99"], Message(form, "amount-message"));
    }

    private static IEnumerable<IElement> FullBalanceButton(IRenderedComponent<CashoutRequestForm> form) =>
        form.FindAll("button").Where(button => string.Join(' ', button.VisibleTexts()) == "Cash out the full available balance");

    private static IReadOnlyList<string> Message(IRenderedComponent<CashoutRequestForm> form, string testId) => form.Find($"[data-testid={testId}]").VisibleTexts();

    private IRenderedComponent<CashoutRequestForm> RenderForm(CashoutDecline decline) => Render<CashoutRequestForm>(p => p
        .Add(c => c.Model, new CashoutFormModel { AmountText = "10", Method = PayoutMethod.Payoneer })
        .Add(c => c.LinkedMethods, [PayoutMethod.Payoneer])
        .Add(c => c.Decline, decline)
        .Add(c => c.Available, Money.Of(500_000, Currency.USD)));
}

public sealed class CashoutTimelineTests : PortalTestContext
{
    private static readonly DateTimeOffset At = new(2026, 3, 6, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Does_list_status_changes_with_actor_reason_and_provider_code_and_emails_in_order()
    {
        var timeline = RenderTimeline(
            new CashoutTimelineEntry(1, CashoutEventType.StatusChanged, At, null, CashoutStatus.Pending, ActorKind.Merchant, "shop@example.test", null, null, null),
            new CashoutTimelineEntry(2, CashoutEventType.EmailQueued, At, null, null, ActorKind.System, "Email", null, null, "Email \"Cashout requested\" queued to shop@example.test"),
            new CashoutTimelineEntry(3, CashoutEventType.StatusChanged, At.AddHours(1), CashoutStatus.Pending, CashoutStatus.OnHold, ActorKind.Admin, "Back office", "Check the payee", null, null),
            new CashoutTimelineEntry(4, CashoutEventType.StatusChanged, At.AddHours(2), CashoutStatus.Processing, CashoutStatus.Failed, ActorKind.Provider, "Provider (payoneer)", "Account closed", "808", null));

        Assert.Equal("Timeline", timeline.Find("[role=list]").GetAttribute("aria-label"));
        var entries = timeline.FindAll("[data-testid=timeline-entry]");
        Assert.Equal(4, entries.Count);
        Assert.All(entries, entry => Assert.Equal("listitem", entry.GetAttribute("role")));
        Assert.Equal(["Requested: Pending", "6 Mar 2026, 10:15 UTC", "· by shop@example.test"], entries[0].VisibleTexts());
        Assert.Equal("Email \"Cashout requested\" queued to shop@example.test", entries[1].QuerySelector(".cashout-timeline-title")!.TextContent);
        Assert.Equal(["Pending → On hold", "6 Mar 2026, 11:15 UTC", "· by Back office", "Reason: Check the payee"], entries[2].VisibleTexts());
        Assert.Contains("Provider code: 808", entries[3].VisibleTexts());
        Assert.Equal("2026-03-06T10:15:00.0000000Z", entries[0].QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public void Does_say_nothing_happened_yet_when_the_timeline_is_empty()
    {
        var timeline = RenderTimeline();

        Assert.Equal(["Nothing has happened to this cashout yet."], timeline.Nodes.VisibleTexts());
    }

    private IRenderedComponent<CashoutTimeline> RenderTimeline(params CashoutTimelineEntry[] entries) =>
        Render<CashoutTimeline>(p => p.Add(c => c.Entries, entries));
}

public sealed class CashoutStatusBadgeTests : PortalTestContext
{
    [Theory]
    [InlineData(CashoutStatus.OnHold, "ON HOLD")]
    [InlineData(CashoutStatus.Pending, "Pending")]
    [InlineData(CashoutStatus.Returned, "Returned")]
    public void Does_name_the_status_and_shout_on_hold(CashoutStatus status, string text)
    {
        var badge = Render<CashoutStatusBadge>(p => p.Add(c => c.Status, status));

        Assert.Equal(text, badge.Find(".cashout-status").TextContent.Trim());
    }
}
