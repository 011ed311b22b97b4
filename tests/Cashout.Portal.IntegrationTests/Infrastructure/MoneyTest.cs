using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Ledger;
using Cashout.Portal.Merchants;
using Cashout.Portal.PaymentMethods;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Base of every test that moves money: a fresh portal (real SQLite file, demo seed) per test, and after the
/// test, whatever it did, the ledger verifier must find no broken invariant. It runs in <see cref="DisposeAsync"/>,
/// so no test can forget it; a violation fails the test and lists every broken invariant.
/// </summary>
public abstract class MoneyTest : IAsyncLifetime
{
    protected const long MerchantAvailable = 500_000;
    protected const long MerchantPending = 100_000;

    protected PortalFactory Portal { get; } = new();

    protected string MerchantId { get; private set; } = "";

    protected string AdminId { get; private set; } = "";

    protected string NewcomerId { get; private set; } = "";

    /// <summary>The demo merchant, re-authenticated just now (step-up), as the payment-method pages require.</summary>
    protected Caller Merchant => SteppedUp(MerchantId);

    protected Caller Admin => Caller.Admin(AdminId);

    /// <summary>A merchant caller that re-authenticated (step-up) at the portal clock's now.</summary>
    protected Caller SteppedUp(string merchantId) => Caller.Merchant(merchantId) with { SteppedUpAt = Portal.Clock.GetUtcNow() };

    /// <summary>The payout pipeline's actors: the submit job and a provider webhook.</summary>
    protected static Actor SubmitJob { get; } = Actor.System("submit-job");

    protected static Actor ProviderWebhook { get; } = Actor.Provider("payoneer-webhook");

    public virtual async Task InitializeAsync()
    {
        var ids = await Portal.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id));
        MerchantId = ids[DemoSeed.MerchantEmail];
        AdminId = ids[DemoSeed.AdminEmail];
        NewcomerId = ids[DemoSeed.NewcomerEmail];
    }

    public async Task DisposeAsync()
    {
        try
        {
            var violations = await Use<LedgerVerifier, IReadOnlyList<InvariantViolation>>(verifier => verifier.VerifyAsync());
            Assert.True(violations.Count == 0, "The ledger invariants are broken after this test:\n  " + string.Join("\n  ", violations));
        }
        finally
        {
            await CleanUpAsync();
            await Portal.DisposeAsync();
        }
    }

    /// <summary>Releases what a derived test started (after the verifier, before the portal goes).</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    protected static Cashout.Domain.Monetary.Money Usd(long cents) => Cashout.Domain.Monetary.Money.Of(cents, Currency.USD);

    /// <summary>Calls a use case (or any service) resolved from a scope of its own, as a request would.</summary>
    protected Task<T> Use<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull => Portal.UseAsync(call);

    protected Task<IReadOnlyList<InvariantViolation>> VerifyLedgerAsync() =>
        Use<LedgerVerifier, IReadOnlyList<InvariantViolation>>(verifier => verifier.VerifyAsync());

    /// <summary>The merchant's USD balances, read through the real <see cref="GetBalances"/> use case.</summary>
    protected async Task<UsdBalances> BalancesAsync(string? merchantId = null)
    {
        merchantId ??= MerchantId;
        var all = await Use<GetBalances, IReadOnlyList<MerchantBalance>>(b => b.HandleAsync(Caller.Merchant(merchantId), merchantId));
        var usd = all.SingleOrDefault(b => b.Currency == Currency.USD);
        return usd is null
            ? new UsdBalances(0, 0, 0)
            : new UsdBalances(usd.Available.MinorUnits, usd.Pending.MinorUnits, usd.Reserved.MinorUnits);
    }

    /// <summary>The running balance of any ledger account (0 when it does not exist yet).</summary>
    protected Task<long> AccountBalanceAsync(LedgerAccountKey key)
    {
        var name = key.ToString();
        return Portal.WithDbAsync(db => db.LedgerAccounts.Where(a => a.Key == name).Select(a => a.Balance).SingleOrDefaultAsync());
    }

    /// <summary>Where the platform's side of a USD payoneer cashout ends up: provider clearing and fee revenue.</summary>
    protected async Task<(long ProviderClearing, long FeeRevenue)> PlatformBalancesAsync(PayoutMethod provider = PayoutMethod.Payoneer) =>
        (await AccountBalanceAsync(LedgerAccountKey.ProviderClearing(provider, Currency.USD)),
         await AccountBalanceAsync(LedgerAccountKey.PlatformFeeRevenue(Currency.USD)));

    /// <summary>Row counts of every table money code writes, and every account balance: equal snapshots mean nothing was written.</summary>
    protected Task<WriteSnapshot> SnapshotAsync() => Portal.WithDbAsync(async db => new WriteSnapshot(
        await db.Cashouts.CountAsync(),
        await db.CashoutEvents.CountAsync(),
        await db.LedgerTransactions.CountAsync(),
        await db.LedgerEntries.CountAsync(),
        await db.OutboxMessages.CountAsync(),
        await db.DeclinedAttempts.CountAsync(),
        await db.PaymentMethods.CountAsync(),
        await db.PendingFundings.CountAsync(),
        string.Join("; ", await db.LedgerAccounts.OrderBy(a => a.Key).Select(a => a.Key + "=" + a.Balance).ToListAsync())));

    protected Task<MerchantCashout> CashoutAsync(long id) =>
        Portal.WithDbAsync(db => db.Cashouts.AsNoTracking().SingleAsync(c => c.Id == id));

    protected Task<int> LedgerTransactionCountAsync(long cashoutId, LedgerTransactionKind kind) =>
        Portal.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.CashoutId == cashoutId && t.Kind == kind));

    protected async Task LinkPayoneerAsync(string? merchantId = null, string payeeEmail = "payee@example.com")
    {
        merchantId ??= MerchantId;
        var linked = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(
            SteppedUp(merchantId), new LinkPaymentMethodCommand(merchantId, PayoutMethod.Payoneer, PayeeEmail: payeeEmail)));
        Assert.True(linked.Result.Succeeded, linked.Result.Message);
    }

    protected Task<RequestCashoutOutcome> TryRequestAsync(long amount, PayoutMethod method = PayoutMethod.Payoneer, string? merchantId = null)
    {
        merchantId ??= MerchantId;
        return Use<RequestCashout, RequestCashoutOutcome>(request => request.HandleAsync(
            Caller.Merchant(merchantId), new RequestCashoutCommand(merchantId, method, amount, Currency.USD)));
    }

    /// <summary>Requests a cashout that must be accepted, and returns it.</summary>
    protected async Task<MerchantCashout> RequestAsync(long amount, PayoutMethod method = PayoutMethod.Payoneer, string? merchantId = null)
    {
        var outcome = await TryRequestAsync(amount, method, merchantId);
        Assert.True(outcome.Status == CommandStatus.Succeeded, $"The request was not accepted: {outcome.Status} {outcome.Decline}");
        return outcome.Cashout!;
    }

    protected Task<CommandResult> Provider(Func<ProviderTransitions, Task<CommandResult>> call) => Use(call);

    protected Task<CommandResult> SubmitAsync(long cashoutId) => Provider(p => p.SubmitAsync(SubmitJob, cashoutId, $"PO-{cashoutId}"));

    protected Task<CommandResult> CompleteAsync(long cashoutId) => Provider(p => p.CompleteAsync(ProviderWebhook, cashoutId));

    /// <summary>Takes an accepted cashout through the pipeline to Completed.</summary>
    protected async Task<MerchantCashout> CompletedCashoutAsync(long amount, string? merchantId = null)
    {
        var cashout = await RequestAsync(amount, merchantId: merchantId);
        AssertSucceeded(await SubmitAsync(cashout.Id));
        AssertSucceeded(await CompleteAsync(cashout.Id));
        return await CashoutAsync(cashout.Id);
    }

    /// <summary>A verified merchant besides the demo one, funded with <paramref name="available"/> cents and payoneer linked.</summary>
    protected async Task<string> CreateFundedMerchantAsync(string email, long available, string payeeEmail = "payee@example.com")
    {
        var id = "";
        await Portal.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = Portal.Clock.GetUtcNow() };
            Assert.True((await users.CreateAsync(user)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, PortalRoles.Merchant)).Succeeded);
            id = user.Id;
        });
        await Portal.WithDbAsync(async db =>
        {
            var profile = new MerchantProfile(id, Portal.Clock.GetUtcNow());
            TestBusiness.SubmitAndApprove(profile, AdminId, Portal.Clock.GetUtcNow());
            db.MerchantProfiles.Add(profile);
            return await db.SaveChangesAsync();
        });
        AssertSucceeded(await Use<FundMerchant, CommandResult>(fund => fund.HandleAsync(
            Admin, new FundMerchantCommand(id, available, Currency.USD, SettlesAt: null, "Test sales"))));
        await LinkPayoneerAsync(id, payeeEmail);
        return id;
    }

    protected static void AssertSucceeded(CommandResult result) =>
        Assert.True(result.Succeeded, $"Expected success, got {result.Status}: {result.Code} {result.Message}");

    protected static void AssertRefused(CommandResult result, string code)
    {
        Assert.Equal(CommandStatus.Refused, result.Status);
        Assert.Equal(code, result.Code);
    }
}

/// <summary>A merchant's USD balances in cents.</summary>
public sealed record UsdBalances(long Available, long Pending, long Reserved);

/// <summary>What money code may write; two equal snapshots mean nothing was written in between.</summary>
public sealed record WriteSnapshot(
    int Cashouts,
    int CashoutEvents,
    int LedgerTransactions,
    int LedgerEntries,
    int OutboxMessages,
    int DeclinedAttempts,
    int PaymentMethods,
    int PendingFundings,
    string AccountBalances);
