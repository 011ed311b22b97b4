using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Portal;

/// <summary>The read models behind the merchant portal and the back office, on the real database.</summary>
public sealed class CashoutReadModelTests : MoneyTest
{
    [Fact]
    public async Task Does_list_only_the_merchants_own_cashouts_when_a_merchant_asks_and_everyones_when_an_admin_asks()
    {
        await LinkPayoneerAsync();
        var own = await RequestAsync(10_000);
        var otherMerchant = await CreateFundedMerchantAsync("other@example.test", 50_000);
        var others = await RequestAsync(20_000, merchantId: otherMerchant);

        var merchantView = await ListAsync(Caller.Merchant(MerchantId), new CashoutFilter());
        var adminView = await ListAsync(Admin, new CashoutFilter());
        var adminByEmail = await ListAsync(Admin, new CashoutFilter(MerchantEmail: "OTHER@"));
        // A merchant cannot widen its view with the admin-only merchant filter.
        var merchantAskingForOthers = await ListAsync(Caller.Merchant(MerchantId), new CashoutFilter(MerchantEmail: "other@example.test"));

        Assert.Equal([own.Id], merchantView.Rows.Select(r => r.Id));
        Assert.Equal([others.Id, own.Id], adminView.Rows.Select(r => r.Id));
        Assert.Equal([others.Id], adminByEmail.Rows.Select(r => r.Id));
        Assert.Equal("other@example.test", adminByEmail.Rows.Single().MerchantEmail);
        Assert.Equal([own.Id], merchantAskingForOthers.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Does_show_a_bank_destination_as_holder_and_last_digits_and_the_providers_payout_id_as_provider_reference()
    {
        var bank = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(Merchant, new LinkPaymentMethodCommand(
            MerchantId, PayoutMethod.Bank, HolderName: "Jane Doe", AccountNumber: "000123456789", Country: "US", Currency: Currency.USD)));
        AssertSucceeded(bank.Result);
        var cashout = await RequestAsync(10_000, PayoutMethod.Bank);

        var requested = await DetailsAsync(cashout.Id);
        Assert.Equal(bank.Method!.TransferInstrumentId, requested.PayeeReference);
        Assert.Equal("Jane Doe ···6789", requested.Destination);
        Assert.Null(requested.ProviderReference);

        Portal.Clock.Advance(TimeSpan.FromHours(1)); // past the review window
        await Use<SubmitDueCashouts, SubmitOutcome>(submit => submit.SubmitAsync(cashout.Id));

        var submitted = await DetailsAsync(cashout.Id);
        var payoutId = await Portal.WithDbAsync(db => db.ProviderSubmissions.Where(s => s.CashoutId == cashout.Id).Select(s => s.ProviderPayoutId).SingleAsync());
        Assert.StartsWith("po_", payoutId, StringComparison.Ordinal);
        Assert.Equal(payoutId, submitted.ProviderReference);
        Assert.Equal("Jane Doe ···6789", submitted.Destination);
    }

    private async Task<CashoutDetails> DetailsAsync(long id) =>
        (await Use<GetCashoutDetails, CashoutDetails?>(details => details.HandleAsync(Caller.Merchant(MerchantId), id)))!;

    [Fact]
    public async Task Does_filter_sort_and_page_in_the_database_when_listing_cashouts()
    {
        await LinkPayoneerAsync();
        var ids = new List<long>();
        foreach (var amount in new long[] { 30_000, 10_000, 20_000 })
        {
            var cashout = await RequestAsync(amount);
            ids.Add(cashout.Id);
            AssertSucceeded(await Use<CancelCashout, CommandResult>(cancel => cancel.HandleAsync(Caller.Merchant(MerchantId), cashout.Id, null)));
            Portal.Clock.Advance(TimeSpan.FromHours(1));
        }

        var pending = await RequestAsync(40_000);
        var caller = Caller.Merchant(MerchantId);

        var byAmount = await ListAsync(caller, new CashoutFilter(), CashoutSort.Amount, descending: false);
        var cancelledOnly = await ListAsync(caller, new CashoutFilter(Status: CashoutStatus.Cancelled));
        var secondPage = await Use<ListCashouts, CashoutPage>(list => list.HandleAsync(caller, new CashoutPageRequest(new CashoutFilter(), Skip: 2, Take: 2)));
        var tipaltiOnly = await ListAsync(caller, new CashoutFilter(Method: PayoutMethod.Tipalti));
        var fromNow = await ListAsync(caller, new CashoutFilter(From: Portal.Clock.GetUtcNow().AddMinutes(-1)));

        Assert.Equal([10_000L, 20_000, 30_000, 40_000], byAmount.Rows.Select(r => r.Amount.MinorUnits));
        Assert.Equal(3, cancelledOnly.TotalCount);
        Assert.All(cancelledOnly.Rows, row => Assert.Equal(CashoutStatus.Cancelled, row.Status));
        // Newest first: pending, then the cancelled ones from the latest; page 2 holds the 3rd and 4th.
        Assert.Equal(4, secondPage.TotalCount);
        Assert.Equal([ids[1], ids[0]], secondPage.Rows.Select(r => r.Id));
        Assert.Empty(tipaltiOnly.Rows);
        Assert.Equal([pending.Id], fromNow.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Does_answer_not_found_when_a_merchant_opens_another_merchants_cashout()
    {
        var otherMerchant = await CreateFundedMerchantAsync("other@example.test", 50_000);
        var theirs = await RequestAsync(20_000, merchantId: otherMerchant);

        var asStranger = await DetailsAsync(Caller.Merchant(MerchantId), theirs.Id);
        var asOwner = await DetailsAsync(Caller.Merchant(otherMerchant), theirs.Id);
        var asAdmin = await DetailsAsync(Admin, theirs.Id);

        Assert.Null(asStranger);
        Assert.NotNull(asOwner);
        Assert.Equal("other@example.test", asAdmin!.MerchantEmail);
    }

    [Fact]
    public async Task Does_show_status_changes_reasons_and_emails_in_order_when_reading_a_held_and_released_cashout()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(100_000);
        AssertSucceeded(await Use<HoldCashout, CommandResult>(hold => hold.HandleAsync(Admin, cashout.Id, "Check the payee")));
        AssertSucceeded(await Use<ReleaseCashout, CommandResult>(release => release.HandleAsync(Admin, cashout.Id)));

        var details = await DetailsAsync(Caller.Merchant(MerchantId), cashout.Id);

        var statusChanges = details!.Timeline.Where(e => e.Type == CashoutEventType.StatusChanged).ToList();
        Assert.Equal(
            new (CashoutStatus?, CashoutStatus)[] { (null, CashoutStatus.Pending), (CashoutStatus.Pending, CashoutStatus.OnHold), (CashoutStatus.OnHold, CashoutStatus.Pending) },
            statusChanges.Select(e => (e.FromStatus, e.ToStatus!.Value)));
        Assert.Equal("Check the payee", statusChanges[1].Reason);
        // The merchant learns that the back office acted, not which staff member.
        Assert.Equal("Back office", statusChanges[1].ActorName);
        Assert.Equal(3, details.Timeline.Count(e => e.Type == CashoutEventType.EmailQueued));
        Assert.Equal((Usd(2_000), Usd(98_000)), (details.Quote.Fee, details.Quote.NetPayout));
        Assert.Equal(Portal.Clock.GetUtcNow().Date, details.Quote.QuotedAt.UtcDateTime.Date);
    }

    [Fact]
    public async Task Does_report_the_first_failing_rule_without_recording_a_declined_attempt_when_checking_before_submit()
    {
        await LinkPayoneerAsync();
        await RequestAsync(10_000);
        var before = await SnapshotAsync();

        var belowMinimum = await CheckAsync(1_000);
        var secondRequest = await CheckAsync(10_000);
        var otherMethod = await CheckAsync(10_000, PayoutMethod.Tipalti);

        Assert.Equal(CashoutDeclineRule.AmountBelowMinimum, belowMinimum!.Decline!.Rule);
        Assert.Equal("Pending cashout exists", secondRequest!.Decline!.Message);
        Assert.Equal("Payment method not linked", otherMethod!.Decline!.Message);
        Assert.Equal([PayoutMethod.Payoneer], secondRequest.LinkedMethods);
        Assert.Equal(Usd(MerchantAvailable - 10_000), secondRequest.Available);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Null(await Use<CheckCashoutRequest, CashoutRequestCheck?>(check => check.HandleAsync(Admin, MerchantId, PayoutMethod.Payoneer, 10_000, Currency.USD)));
    }

    [Fact]
    public async Task Does_accept_the_full_balance_the_check_offers_and_leave_nothing_available()
    {
        await LinkPayoneerAsync();

        var check = await CheckAsync(10_000);
        var cashout = await RequestAsync(check!.FullBalance!.Value.MinorUnits);

        Assert.Equal(Usd(MerchantAvailable), check.FullBalance);
        // The fee comes out of the amount: all of available is reserved, the payee gets it less the 2%.
        Assert.Equal(Usd(MerchantAvailable - 10_000), cashout.NetPayout);
        Assert.Equal(new UsdBalances(0, MerchantPending, MerchantAvailable), await BalancesAsync());
    }

    [Fact]
    public async Task Does_give_each_days_closing_balances_from_the_ledger_when_money_moved_on_different_days()
    {
        var start = DateOnly.FromDateTime(Portal.Clock.GetUtcNow().UtcDateTime);
        await LinkPayoneerAsync();
        Portal.Clock.Advance(TimeSpan.FromDays(2));
        var cashout = await RequestAsync(100_000);
        Portal.Clock.Advance(TimeSpan.FromDays(1));
        AssertSucceeded(await Use<CancelCashout, CommandResult>(cancel => cancel.HandleAsync(Caller.Merchant(MerchantId), cashout.Id, null)));
        await RequestAsync(50_000);

        var history = (await Use<GetBalanceHistory, IReadOnlyList<BalanceHistory>>(h => h.HandleAsync(Caller.Merchant(MerchantId), MerchantId))).Single();

        Assert.Equal(Currency.USD, history.Currency);
        Assert.Equal(30, history.Days.Count);
        var byDay = history.Days.ToDictionary(d => d.Day, d => (d.Available.MinorUnits, d.Pending.MinorUnits, d.Reserved.MinorUnits));
        Assert.Equal((0L, 0L, 0L), byDay[start.AddDays(-1)]);
        Assert.Equal((500_000L, 100_000L, 0L), byDay[start]);
        Assert.Equal((500_000L, 100_000L, 0L), byDay[start.AddDays(1)]);
        Assert.Equal((400_000L, 100_000L, 100_000L), byDay[start.AddDays(2)]);
        Assert.Equal((450_000L, 100_000L, 50_000L), byDay[start.AddDays(3)]);
        // Today's point is the running totals themselves.
        Assert.Equal(start.AddDays(3), history.Days[^1].Day);
        var now = await BalancesAsync();
        Assert.Equal((now.Available, now.Pending, now.Reserved), byDay[start.AddDays(3)]);
    }

    [Fact]
    public async Task Does_show_nothing_when_someone_reads_another_merchants_balance_history()
    {
        var otherMerchant = await CreateFundedMerchantAsync("other@example.test", 50_000);

        var history = await Use<GetBalanceHistory, IReadOnlyList<BalanceHistory>>(h => h.HandleAsync(Caller.Merchant(MerchantId), otherMerchant));

        Assert.Empty(history);
    }

    [Fact]
    public async Task Does_write_the_filtered_rows_as_csv_with_decimal_amounts_when_exporting()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(123_457);
        var page = await ListAsync(Caller.Merchant(MerchantId), CashoutListQuery.Parse(new Microsoft.AspNetCore.Http.QueryCollection(
            new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["status"] = "Pending", ["method"] = "payoneer" })).ToFilter());

        var lines = System.Text.Encoding.UTF8.GetString(ExportCashouts.Write(page.Rows)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        var fields = lines[1].Split(',');
        Assert.Equal(cashout.Id.ToString(CultureInfo.InvariantCulture), fields[0]);
        Assert.Equal(["Pending", "Payoneer", "USD", "1234.57", "24.69", "1209.88", "1234.57", "payee@example.com"], fields[2..10]);
        Assert.Equal(["", "", ""], fields[11..14]);
    }

    [Fact]
    public async Task Does_write_the_completion_time_and_the_failure_reason_when_exporting_finished_cashouts()
    {
        await LinkPayoneerAsync();
        var completed = await CompletedCashoutAsync(100_000);
        Portal.Clock.Advance(TimeSpan.FromDays(1));
        var failed = await RequestAsync(100_000);
        AssertSucceeded(await SubmitAsync(failed.Id));
        AssertSucceeded(await Provider(p => p.FailAsync(ProviderWebhook, failed.Id, "R01", "Payee account closed")));
        var page = await ListAsync(Caller.Merchant(MerchantId), new CashoutFilter(null, null, null, null), CashoutSort.CreatedAt, descending: false);

        var rows = System.Text.Encoding.UTF8.GetString(ExportCashouts.Write(page.Rows)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToList();

        Assert.Equal(["Completed (UTC)", "Rejection code", "Failure or return reason"], rows[0][11..14]);
        Assert.Equal([completed.Id.ToString(CultureInfo.InvariantCulture), "Completed"], [rows[1][0], rows[1][2]]);
        Assert.Equal([completed.CompletedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "", ""], rows[1][11..14]);
        Assert.Equal([failed.Id.ToString(CultureInfo.InvariantCulture), "Failed"], [rows[2][0], rows[2][2]]);
        Assert.Equal(["", "R01", "Payee account closed"], rows[2][11..14]);
    }

    [Fact]
    public async Task Does_name_a_bank_destination_by_its_holder_and_last_four_digits_in_the_csv_and_the_emails()
    {
        var linked = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(Merchant,
            new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Bank, HolderName: "Jane Doe", AccountNumber: "000123456789", Country: "US", Currency: Currency.USD)));
        AssertSucceeded(linked.Result);
        var cashout = await RequestAsync(10_000, PayoutMethod.Bank);
        var page = await ListAsync(Caller.Merchant(MerchantId), new CashoutFilter());

        var fields = System.Text.Encoding.UTF8.GetString(ExportCashouts.Write(page.Rows)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1].Split(',');

        Assert.Equal(["Bank transfer", "Jane Doe ···6789"], [fields[3], fields[9]]);
        Assert.Equal("Jane Doe ···6789", Assert.Single(page.Rows).Destination);
        var emails = await Portal.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => new { m.Subject, m.TextBody }).ToListAsync());
        var linkedEmail = emails.Single(m => m.Subject.Contains("payout method was linked", StringComparison.Ordinal));
        Assert.Contains("(Jane Doe ···6789) was linked", linkedEmail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Cashout #{cashout.Id} via Bank transfer to Jane Doe ···6789", emails.Single(m => m.Subject.StartsWith("Cashout requested", StringComparison.Ordinal)).TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(emails, m => m.TextBody.Contains(linked.Method!.TransferInstrumentId!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Does_publish_each_committed_change_so_open_pages_can_refresh_when_an_admin_holds_a_cashout()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        var changes = new List<CashoutChanged>();
        var subscription = await Use<CashoutChanges, CashoutChangeSubscription>(published => Task.FromResult(
            new CashoutChangeSubscription(published, change => change.MerchantId == MerchantId, change => { lock (changes) changes.Add(change); return Task.CompletedTask; })));

        AssertSucceeded(await Use<HoldCashout, CommandResult>(hold => hold.HandleAsync(Admin, cashout.Id, "Review")));
        subscription.Dispose();
        AssertSucceeded(await Use<ReleaseCashout, CommandResult>(release => release.HandleAsync(Admin, cashout.Id)));

        Assert.Equal([new CashoutChanged(cashout.Id, MerchantId, CashoutStatus.OnHold)], changes);
    }

    private Task<CashoutPage> ListAsync(Caller caller, CashoutFilter filter, CashoutSort sort = CashoutSort.CreatedAt, bool descending = true) =>
        Use<ListCashouts, CashoutPage>(list => list.HandleAsync(caller, new CashoutPageRequest(filter, Skip: 0, Take: 50, sort, descending)));

    private Task<CashoutDetails?> DetailsAsync(Caller caller, long id) =>
        Use<GetCashoutDetails, CashoutDetails?>(details => details.HandleAsync(caller, id));

    private Task<CashoutRequestCheck?> CheckAsync(long amount, PayoutMethod method = PayoutMethod.Payoneer) =>
        Use<CheckCashoutRequest, CashoutRequestCheck?>(check => check.HandleAsync(Caller.Merchant(MerchantId), MerchantId, method, amount, Currency.USD));
}
