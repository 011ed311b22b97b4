using System.Globalization;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Cashout.Portal.UnitTests.Domain.Properties;

/// <summary>
/// Random sequences of fund, settle, request, hold, release, cancel, submit, complete, fail and return
/// over three merchants and all four currencies; every money invariant is checked after every step.
/// On failure FsCheck's exception message carries the seed to replay the run (see
/// <see cref="Reports_the_seed_to_replay_when_a_property_fails"/>).
/// </summary>
public class LedgerPropertyTests
{
    public const int SequenceCount = 150;
    public const int MinimumSequenceLength = 200;
    public const int MaximumSequenceLength = 300;

    /// <summary>Set to the pair a failure printed, e.g. "6039710794156138196,12144343596303985989", to replay that run.</summary>
    public const string ReplayVariable = "CASHOUT_PROPERTY_REPLAY";

    /// <summary>
    /// Throws on failure with the seed in the message ("Falsifiable, after N tests (seed,gamma)"); quiet on
    /// success so test output stays readable; replays a printed seed when <see cref="ReplayVariable"/> is set.
    /// </summary>
    internal static Config PropertyConfig(int maxTest)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true);
        var replay = Environment.GetEnvironmentVariable(ReplayVariable)?.Split(',', StringSplitOptions.TrimEntries);
        return replay is [var seed, var gamma]
            ? config.WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(ulong.Parse(seed, CultureInfo.InvariantCulture), ulong.Parse(gamma, CultureInfo.InvariantCulture)), FSharpOption<int>.None)))
            : config;
    }

    [Fact]
    public void Keeps_every_money_invariant_after_every_step_when_random_operations_run()
    {
        var statistics = new SimulationStatistics();
        var sequences = Arb.From(OperationSequence());

        Check.One(PropertyConfig(SequenceCount), Prop.ForAll(sequences, operations =>
        {
            Assert.InRange(operations.Length, MinimumSequenceLength, MaximumSequenceLength);
            new LedgerSimulation(statistics).Run(operations);
        }));

        // Proof that the generator reaches every path, so passing means something.
        string[] mustHappen =
        [
            "fund to pending", "fund to available", "settle", "requested", "requested on hold",
            "hold", "release", "cancel", "submit", "complete", "fail", "return",
            "hold refused", "cancel refused", "return refused",
            "declined: InvalidAmount", "declined: AmountBelowMinimum", "declined: PaymentMethodNotLinked",
            "declined: PendingCashoutExists", "declined: CooldownPeriod", "declined: InsufficientBalance",
        ];
        Assert.All(mustHappen, outcome => Assert.True(statistics[outcome] >= 5, $"'{outcome}' happened {statistics[outcome]} times. All: {statistics}"));
    }

    [Fact]
    public void Reports_the_seed_to_replay_when_a_property_fails()
    {
        var failing = Prop.ForAll(Arb.From(Gen.Choose(0, 10)), number => number < 0);

        var error = Assert.ThrowsAny<Exception>(() => Check.One(PropertyConfig(SequenceCount), failing));

        Assert.Contains("Falsifiable", error.Message);
        Assert.Matches(@"\(\d+,\s*\d+", error.Message);
    }

    private static Gen<LedgerOperation[]> OperationSequence() =>
        Gen.Choose(MinimumSequenceLength, MaximumSequenceLength)
            .SelectMany(length => Operation().ArrayOf(length));

    private static Gen<LedgerOperation> Operation()
    {
        var merchant = Gen.Choose(0, 2);
        var currency = Gen.Choose(0, Currency.All.Count - 1);
        var pick = Gen.Choose(0, 1000);
        var preferLive = Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)));
        var flag = Gen.Elements(true, false);

        var fund =
            from m in merchant
            from c in currency
            from fundAmount in Gen.Choose(1, 5_000_000)
            from toPending in flag
            select (LedgerOperation)new Fund(m, c, fundAmount, toPending);

        var settle =
            from m in merchant
            from c in currency
            from percent in Gen.Choose(1, 100)
            select (LedgerOperation)new Settle(m, c, percent);

        // Mostly plausible amounts, with a few that are invalid, tiny or too large.
        var requestAmount = Gen.Frequency(
            (10, Gen.Choose(5000, 2_000_000).Select(value => (long)value)),
            (2, Gen.Choose(1, 4999).Select(value => (long)value)),
            (1, Gen.Elements(0L, -1L, Money.MaximumMinorUnits + 1)));

        var request =
            from m in merchant
            from c in currency
            from method in Gen.Elements(PayoutMethod.Payoneer, PayoutMethod.Tipalti, PayoutMethod.Bank)
            from value in requestAmount
            from semantics in Gen.Elements(FeeSemantics.FeeTakenFromAmount, FeeSemantics.FeeOnTop)
            from onHold in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            select (LedgerOperation)new RequestCashout(m, c, method, value, semantics, onHold);

        Gen<LedgerOperation> Transition(Func<int, bool, bool, LedgerOperation> create) =>
            from p in pick
            from live in preferLive
            from byAdmin in flag
            select create(p, live, byAdmin);

        return Gen.Frequency(
            (6, fund),
            (3, settle),
            (8, request),
            (3, Transition((p, live, byAdmin) => new Hold(p, live, byAdmin))),
            (3, Transition((p, live, byAdmin) => new Release(p, live, byAdmin))),
            (3, Transition((p, live, byAdmin) => new Cancel(p, live, byAdmin))),
            (5, Transition((p, live, _) => new Submit(p, live))),
            (4, Transition((p, live, _) => new Complete(p, live))),
            (2, Transition((p, live, _) => new Fail(p, live))),
            (2, Transition((p, live, _) => new Return(p, live))),
            (4, Gen.Choose(1, 36 * 60).Select(minutes => (LedgerOperation)new AdvanceTime(minutes))));
    }
}
