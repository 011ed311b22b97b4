using System.Text.Json;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Monetary;
using Cashout.Portal.Admin.Declines;
using Cashout.Portal.Admin.Merchants;
using Cashout.Portal.Audit;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Merchants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.BackOffice;

/// <summary>Admin actions on money (fund, hold, release, cancel): audited in their own transaction, refused from the wrong state or caller.</summary>
public sealed class BackOfficeActionTests : MoneyTest
{
    [Fact]
    public async Task Fund_credits_pending_and_audits_the_balances_before_and_after_when_an_admin_credits_a_sale()
    {
        var settlesAt = Portal.Clock.GetUtcNow().AddDays(3);

        AssertSucceeded(await FundAsync(Admin, new FundMerchantCommand(MerchantId, 12_345, Currency.USD, settlesAt, "Sales of week 12")));

        Assert.Equal(new UsdBalances(MerchantAvailable, MerchantPending + 12_345, 0), await BalancesAsync());
        var entry = await LastAuditEntryAsync();
        Assert.Equal((AuditCategory.AdminAction, AuditActions.MerchantFunded, "merchant", MerchantId), (entry.Category, entry.Action, entry.SubjectType, entry.SubjectId));
        var before = JsonDocument.Parse(entry.Before!).RootElement;
        var after = JsonDocument.Parse(entry.After!).RootElement;
        Assert.Equal((MerchantAvailable, MerchantPending), (before.GetProperty("available").GetInt64(), before.GetProperty("pending").GetInt64()));
        Assert.Equal((MerchantAvailable, MerchantPending + 12_345), (after.GetProperty("available").GetInt64(), after.GetProperty("pending").GetInt64()));
        Assert.Equal("Sales of week 12", after.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Fund_is_refused_and_writes_nothing_when_the_input_is_bad_the_merchant_unknown_or_the_caller_a_merchant()
    {
        var before = await SnapshotAsync();

        AssertRefused(await FundAsync(Admin, new FundMerchantCommand(MerchantId, 0, Currency.USD, null, "Zero")), "invalid_amount");
        AssertRefused(await FundAsync(Admin, new FundMerchantCommand(MerchantId, 100, Currency.USD, null, "  ")), "invalid_description");
        Assert.Equal(CommandStatus.NotFound, (await FundAsync(Admin, new FundMerchantCommand(AdminId, 100, Currency.USD, null, "To an admin"))).Status);
        Assert.Equal(CommandStatus.Forbidden, (await FundAsync(Caller.Merchant(MerchantId), new FundMerchantCommand(MerchantId, 100, Currency.USD, null, "To myself"))).Status);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(0, await AuditCountAsync());
    }

    [Fact]
    public async Task Hold_release_and_cancel_by_an_admin_are_each_audited_with_the_status_before_and_after()
    {
        await LinkPayoneerAsync();
        var first = await RequestAsync(10_000);

        AssertSucceeded(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, first.Id, "Checking the payee")));
        AssertSucceeded(await Use<ReleaseCashout, CommandResult>(r => r.HandleAsync(Admin, first.Id)));
        AssertSucceeded(await Use<CancelCashout, CommandResult>(c => c.HandleAsync(Admin, first.Id, "Duplicate request")));

        var entries = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.SubjectType == "cashout").OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.CashoutHeld, AuditActions.CashoutReleased, AuditActions.CashoutCancelled], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("cashout", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), AdminId), (e.SubjectType!, e.SubjectId!, e.ActorId!)));
        Assert.Equal(["Pending", "OnHold", "Pending"], entries.Select(e => JsonDocument.Parse(e.Before!).RootElement.GetProperty("status").GetString()));
        Assert.Equal(["OnHold", "Pending", "Cancelled"], entries.Select(e => JsonDocument.Parse(e.After!).RootElement.GetProperty("status").GetString()));
        Assert.Equal("Checking the payee", JsonDocument.Parse(entries[0].After!).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Hold_and_release_by_an_admin_record_the_client_address_of_the_circuit_that_did_them()
    {
        const string address = "198.51.100.23";
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);

        // As the back-office pages do: the admin comes from the principal alone, the address from the circuit's scope.
        await Portal.WithScopeAsync(async services =>
        {
            services.GetRequiredService<ClientAddress>().Set(address);
            AssertSucceeded(await services.GetRequiredService<HoldCashout>().HandleAsync(Admin, cashout.Id, "Checking the payee"));
            AssertSucceeded(await services.GetRequiredService<ReleaseCashout>().HandleAsync(Admin, cashout.Id));
        });

        var entries = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.SubjectType == "cashout").OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.CashoutHeld, AuditActions.CashoutReleased], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AdminId, address), (e.ActorId, e.IpAddress)));
    }

    [Fact]
    public async Task Hold_and_release_from_the_wrong_state_are_refused_and_not_audited()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);

        AssertRefused(await Use<ReleaseCashout, CommandResult>(r => r.HandleAsync(Admin, cashout.Id)), CashoutErrors.InvalidTransitionCode);
        AssertSucceeded(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout.Id, "Checking")));
        AssertRefused(await Use<HoldCashout, CommandResult>(h => h.HandleAsync(Admin, cashout.Id, "Again")), CashoutErrors.InvalidTransitionCode);

        Assert.Equal([AuditActions.CashoutHeld], await Portal.WithDbAsync(db => db.AuditEntries.Where(e => e.SubjectType == "cashout").Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Merchant_cancelling_its_own_cashout_is_not_an_admin_action_and_is_not_audited()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);

        AssertSucceeded(await Use<CancelCashout, CommandResult>(c => c.HandleAsync(Caller.Merchant(MerchantId), cashout.Id, null)));

        Assert.Equal(0, await AuditCountAsync());
    }

    [Fact]
    public async Task Merchant_gets_not_found_or_nothing_when_it_reaches_for_another_merchants_data_by_id()
    {
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        var other = Caller.Merchant(NewcomerId);
        var before = await SnapshotAsync();

        Assert.Equal(CommandStatus.NotFound, (await Use<CancelCashout, CommandResult>(c => c.HandleAsync(other, cashout.Id, null))).Status);
        Assert.Empty(await Use<GetBalances, IReadOnlyList<MerchantBalance>>(b => b.HandleAsync(other, MerchantId)));
        Assert.Null(await Use<GetVerification, MerchantVerification?>(v => v.HandleAsync(other, MerchantId)));

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Merchant_cannot_hold_or_release_another_merchants_cashout_and_gets_nothing_from_the_back_office_lists()
    {
        // Merchants may hold and release their OWN cashouts (family C's PUT /v3/cashout/status); never another's.
        await LinkPayoneerAsync();
        var cashout = await RequestAsync(10_000);
        var merchant = Caller.Merchant(NewcomerId);

        Assert.Equal(CommandStatus.NotFound, (await Use<HoldCashout, CommandResult>(h => h.HandleAsync(merchant, cashout.Id, "mine"))).Status);
        Assert.Equal(CommandStatus.NotFound, (await Use<ReleaseCashout, CommandResult>(r => r.HandleAsync(merchant, cashout.Id))).Status);
        Assert.Empty((await Use<ListMerchants, Page<MerchantRow>>(l => l.HandleAsync(merchant, null, new PageRequest()))).Items);
        Assert.Empty(await Use<ListMerchants, IReadOnlyList<MerchantRow>>(l => l.AwaitingReviewAsync(merchant)));
        Assert.Empty((await Use<ListDeclinedAttempts, Page<DeclinedAttemptRow>>(l => l.HandleAsync(merchant, new DeclineFilter(), new PageRequest()))).Items);
        Assert.Empty((await Use<ListAuditEntries, Page<AuditEntry>>(l => l.HandleAsync(merchant, new AuditFilter(), new PageRequest()))).Items);
        Assert.Null(await Use<VerifyAuditChain, AuditChainReport?>(v => v.HandleAsync(merchant)));
        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(cashout.Id)).Status);
    }

    [Fact]
    public async Task Merchants_list_puts_submissions_awaiting_review_first_with_every_merchants_balances()
    {
        AssertSucceeded((await Use<SubmitBusinessDetails, SubmitBusinessDetailsOutcome>(s => s.HandleAsync(
            Caller.Merchant(NewcomerId), new SubmitBusinessDetailsCommand(NewcomerId, "Newcomer Ltd", "GB", "Nia", null, "nia@example.com")))).Result);

        var page = await Use<ListMerchants, Page<MerchantRow>>(l => l.HandleAsync(Admin, null, new PageRequest()));
        var rows = page.Items;

        Assert.Equal(["newcomer@cashout.test", "merchant@cashout.test"], rows.Select(r => r.Email));
        Assert.Equal(2, page.TotalCount);
        Assert.True(rows[0].AwaitsReview);
        Assert.Equal("Newcomer Ltd", rows[0].Details!.LegalName);
        var usd = Assert.Single(rows[1].Balances);
        Assert.Equal((MerchantAvailable, MerchantPending, 0L), (usd.Available.MinorUnits, usd.Pending.MinorUnits, usd.Reserved.MinorUnits));
        Assert.True(rows[1].IsVerified);
        Assert.Equal(["newcomer@cashout.test"], (await Use<ListMerchants, IReadOnlyList<MerchantRow>>(l => l.AwaitingReviewAsync(Admin))).Select(r => r.Email));
    }

    [Theory]
    [InlineData("NEWCOMER LTD", "newcomer@cashout.test")]
    [InlineData("merchant@", "merchant@cashout.test")]
    [InlineData("%", null)]
    public async Task Merchants_list_finds_merchants_by_email_or_legal_name_in_any_case_and_pages_in_the_database(string search, string? found)
    {
        AssertSucceeded((await Use<SubmitBusinessDetails, SubmitBusinessDetailsOutcome>(s => s.HandleAsync(
            Caller.Merchant(NewcomerId), new SubmitBusinessDetailsCommand(NewcomerId, "Newcomer Ltd", "GB", "Nia", null, "nia@example.com")))).Result);

        var page = await Use<ListMerchants, Page<MerchantRow>>(l => l.HandleAsync(Admin, search, new PageRequest()));
        Assert.Equal(found is null ? [] : [found], page.Items.Select(r => r.Email));
        Assert.Equal(page.Items.Count, page.TotalCount);

        var second = await Use<ListMerchants, Page<MerchantRow>>(l => l.HandleAsync(Admin, null, new PageRequest(Skip: 1, Take: 1)));
        Assert.Equal(["merchant@cashout.test"], second.Items.Select(r => r.Email));
        Assert.Equal(2, second.TotalCount);
    }

    [Fact]
    public async Task Declines_list_shows_who_when_what_and_why_filtered_by_rule_and_merchant()
    {
        await LinkPayoneerAsync();
        await TryRequestAsync(10, merchantId: MerchantId);
        await TryRequestAsync(10_000, merchantId: NewcomerId);

        var all = await Use<ListDeclinedAttempts, Page<DeclinedAttemptRow>>(l => l.HandleAsync(Admin, new DeclineFilter(), new PageRequest()));
        var verification = await Use<ListDeclinedAttempts, Page<DeclinedAttemptRow>>(l => l.HandleAsync(Admin, new DeclineFilter(Rule: CashoutDeclineRule.VerificationRequired), new PageRequest()));
        var byMerchant = await Use<ListDeclinedAttempts, Page<DeclinedAttemptRow>>(l => l.HandleAsync(Admin, new DeclineFilter(Merchant: "MERCHANT@"), new PageRequest(Skip: 0, Take: 1)));

        Assert.Equal(2, all.TotalCount);
        var row = Assert.Single(verification.Items);
        Assert.Equal(("newcomer@cashout.test", "Account verification required", 10_000L, "payoneer", "portal"), (row.MerchantEmail, row.Message, row.Amount, row.Method, row.Source));
        Assert.Equal((1, "Amount below minimum"), (byMerchant.TotalCount, Assert.Single(byMerchant.Items).Message));
    }

    private Task<CommandResult> FundAsync(Caller caller, FundMerchantCommand command) => Use<FundMerchant, CommandResult>(f => f.HandleAsync(caller, command));

    private Task<AuditEntry> LastAuditEntryAsync() =>
        Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync());

    /// <summary>Audit entries besides the payout-destination changes the tests' setup makes (linking the demo payee).</summary>
    private Task<int> AuditCountAsync() => Portal.WithDbAsync(db => db.AuditEntries.CountAsync(
        e => e.Action != AuditActions.PaymentMethodLinked && e.Action != AuditActions.PaymentMethodUnlinked));
}
