using System.Globalization;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Ledger;
using Cashout.Portal.PaymentMethods;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cashout.Portal.IntegrationTests.Properties;

/// <summary>
/// The domain's property tests (UnitTests/Domain/Properties) check the rules on an in-memory ledger; this one
/// drives the REAL use cases on a real SQLite file with random sequences of at least 200 operations over three
/// merchants and all four currencies, and runs the database verifier (LedgerVerifier) after every step.
/// FsCheck prints the seed of a failing run in its exception message.
/// </summary>
public sealed class PersistedLedgerPropertyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sequences = 10;
    private const int MinimumLength = 200;
    private const int MaximumLength = 240;
    private const int MerchantCount = 3;

    private readonly PortalFactory portal = new();
    private readonly List<string> merchants = [];
    private readonly Dictionary<string, int> outcomes = [];
    private string adminId = "";

    private abstract record Step;
    private sealed record Fund(int Merchant, int Currency, long Amount, int SettleInMinutes) : Step;
    private sealed record Request(int Merchant, int Currency, PayoutMethod Method, long Amount, bool OnHold) : Step;
    /// <param name="Live">Pick among cashouts not yet final (most steps), so allowed transitions are common.</param>
    private sealed record Change(string Kind, int Pick, bool Live) : Step;
    private sealed record Wait(int Minutes) : Step;

    public async Task InitializeAsync()
    {
        adminId = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == DemoSeed.AdminEmail).Select(u => u.Id).SingleAsync());
        for (var i = 0; i < MerchantCount; i++)
        {
            merchants.Add(await CreateVerifiedMerchantAsync($"property-{i}@cashout.test"));
        }
    }

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public void Keeps_every_invariant_in_the_database_after_every_step_when_random_operations_run_through_the_use_cases()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(Sequences).WithQuietOnSuccess(true);
        var sequences = Gen.Choose(MinimumLength, MaximumLength).SelectMany(length => StepGen().ArrayOf(length));

        Check.One(config, Prop.ForAll(Arb.From(sequences), steps => RunAsync(steps).GetAwaiter().GetResult()));

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
        foreach (var outcome in new[] { "fund", "settle", "request: Succeeded", "request: Refused", "hold: Succeeded", "release: Succeeded", "cancel: Succeeded", "submit: Succeeded", "complete: Succeeded", "fail: Succeeded", "return: Succeeded", "cancel: Refused" })
        {
            Assert.True(outcomes.GetValueOrDefault(outcome) >= 3, $"'{outcome}' happened {outcomes.GetValueOrDefault(outcome)} times; the generator must reach every path.");
        }
    }

    private async Task RunAsync(Step[] steps)
    {
        for (var index = 0; index < steps.Length; index++)
        {
            await ApplyAsync(steps[index]);
            var violations = await Use<LedgerVerifier, IReadOnlyList<InvariantViolation>>(v => v.VerifyAsync());
            Assert.True(violations.Count == 0, $"After step {index} ({steps[index]}):\n  " + string.Join("\n  ", violations));
        }
    }

    private async Task ApplyAsync(Step step)
    {
        switch (step)
        {
            case Fund fund:
                var settlesAt = fund.SettleInMinutes == 0 ? (DateTimeOffset?)null : portal.Clock.GetUtcNow().AddMinutes(fund.SettleInMinutes);
                var funded = await Use<FundMerchant, CommandResult>(u => u.HandleAsync(Caller.Admin(adminId),
                    new FundMerchantCommand(merchants[fund.Merchant], fund.Amount, Currency.All[fund.Currency], settlesAt, "Property sale")));
                Assert.True(funded.Succeeded, funded.Message);
                Count("fund");
                break;
            case Request request:
                var merchant = merchants[request.Merchant];
                var outcome = await Use<RequestCashout, RequestCashoutOutcome>(u => u.HandleAsync(Caller.Merchant(merchant),
                    new RequestCashoutCommand(merchant, request.Method, request.Amount, Currency.All[request.Currency], InitialHoldReason: request.OnHold ? "Risk review" : null)));
                Count($"request: {outcome.Status}");
                break;
            case Change change:
                var ids = await portal.WithDbAsync(db => db.Cashouts
                    .Where(c => !change.Live || c.Status == CashoutStatus.Pending || c.Status == CashoutStatus.OnHold || c.Status == CashoutStatus.Processing || c.Status == CashoutStatus.Completed)
                    .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
                if (ids.Count == 0)
                {
                    return;
                }

                var id = ids[change.Pick % ids.Count];
                var owner = await portal.WithDbAsync(db => db.Cashouts.Where(c => c.Id == id).Select(c => c.MerchantId).SingleAsync());
                var admin = Caller.Admin(adminId);
                var provider = Actor.Provider("sandbox");
                var result = change.Kind switch
                {
                    "hold" => await Use<HoldCashout, CommandResult>(u => u.HandleAsync(admin, id, "Manual review")),
                    "release" => await Use<ReleaseCashout, CommandResult>(u => u.HandleAsync(admin, id)),
                    "cancel" => await Use<CancelCashout, CommandResult>(u => u.HandleAsync(change.Pick % 2 == 0 ? admin : Caller.Merchant(owner), id, "No longer needed")),
                    "submit" => await Use<ProviderTransitions, CommandResult>(u => u.SubmitAsync(Actor.System("submit-job"), id, $"ref-{id}")),
                    "complete" => await Use<ProviderTransitions, CommandResult>(u => u.CompleteAsync(provider, id)),
                    "fail" => await Use<ProviderTransitions, CommandResult>(u => u.FailAsync(provider, id, "808", "ERROR_OTHER")),
                    _ => await Use<ProviderTransitions, CommandResult>(u => u.ReturnAsync(provider, id, "R01", "Returned by the beneficiary bank")),
                };
                Count($"{change.Kind}: {result.Status}");
                break;
            case Wait wait:
                portal.Clock.Advance(TimeSpan.FromMinutes(wait.Minutes));
                await Use<SettleDueFunds, int>(u => u.HandleAsync());
                Count("settle");
                break;
        }
    }

    private static Gen<Step> StepGen()
    {
        var merchant = Gen.Choose(0, MerchantCount - 1);
        var currency = Gen.Choose(0, Currency.All.Count - 1);
        var fund =
            from m in merchant
            from c in currency
            from funded in Gen.Choose(1, 3_000_000)
            from settle in Gen.Elements(0, 0, 30, 600)
            select (Step)new Fund(m, c, funded, settle);
        var requested = Gen.Frequency(
            (10, Gen.Choose(5_000, 1_500_000).Select(v => (long)v)),
            (2, Gen.Choose(1, 4_999).Select(v => (long)v)),
            (1, Gen.Elements(0L, -5L, Cashout.Domain.Monetary.Money.MaximumMinorUnits + 1)));
        var request =
            from m in merchant
            from c in currency
            from method in Gen.Elements(PayoutMethod.Payoneer, PayoutMethod.Tipalti, PayoutMethod.Bank)
            from a in requested
            from onHold in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
            select (Step)new Request(m, c, method, a, onHold);
        Gen<Step> Change(string kind) =>
            from pick in Gen.Choose(0, 10_000)
            from live in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            select (Step)new Change(kind, pick, live);

        return Gen.Frequency(
            (6, fund),
            (9, request),
            (3, Change("hold")),
            (3, Change("release")),
            (3, Change("cancel")),
            (5, Change("submit")),
            (4, Change("complete")),
            (2, Change("fail")),
            (2, Change("return")),
            (4, Gen.Choose(1, 30 * 60).Select(minutes => (Step)new Wait(minutes))),
            (1, Gen.Constant((Step)new Wait(24 * 60))));
    }

    private async Task<string> CreateVerifiedMerchantAsync(string email)
    {
        string id = "";
        await portal.WithScopeAsync(async services =>
        {
            var registration = await services.GetRequiredService<RegisterMerchant>().HandleAsync(email, DemoSeed.Password, "https://portal.test/Account/Login", "https://portal.test/Account/ForgotPassword");
            var user = Assert.IsType<PortalUser>(registration.User);
            id = user.Id;
            var db = services.GetRequiredService<PortalDbContext>();
            user.EmailConfirmed = true;
            TestBusiness.SubmitAndApprove(await db.MerchantProfiles.SingleAsync(p => p.MerchantId == id), adminId, portal.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            var link = services.GetRequiredService<LinkPaymentMethod>();
            var merchant = Caller.Merchant(id) with { SteppedUpAt = portal.Clock.GetUtcNow() };
            Assert.True((await link.HandleAsync(merchant, new LinkPaymentMethodCommand(id, PayoutMethod.Payoneer, PayeeEmail: email))).Result.Succeeded);
            Assert.True((await link.HandleAsync(merchant, new LinkPaymentMethodCommand(id, PayoutMethod.Tipalti, PayeeId: "TP-" + id[..8]))).Result.Succeeded);
            Assert.True((await link.HandleAsync(merchant, new LinkPaymentMethodCommand(id, PayoutMethod.Bank, HolderName: "Property Shop", Iban: "NL91ABNA0417164300", Country: "NL", Currency: Currency.EUR))).Result.Succeeded);
        });
        return id;
    }

    private void Count(string outcome) => outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

    private Task<T> Use<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull => portal.UseAsync(call);
}
