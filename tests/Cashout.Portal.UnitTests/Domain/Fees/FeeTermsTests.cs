using Cashout.Domain.Fees;
using Cashout.Domain.PaymentMethods;

namespace Cashout.Portal.UnitTests.Domain.Fees;

public class FeeTermsTests
{
    [Theory]
    [InlineData(150, 3333, 50)]   // 49.995 rounds half away from zero to 50
    [InlineData(150, 3300, 50)]   // 49.5 -> 50
    [InlineData(150, 3299, 49)]   // 49.485 -> 49
    [InlineData(200, 25, 1)]      // 0.5 -> 1
    [InlineData(200, 24, 0)]      // 0.48 -> 0
    [InlineData(200, 100_000, 2000)]
    [InlineData(150, 1_000_000_000, 15_000_000)]
    [InlineData(0, 5000, 0)]
    public void Rounds_the_percentage_fee_half_away_from_zero_when_it_falls_between_minor_units(int basisPoints, long amount, long expectedFee)
    {
        var terms = new MethodFeeTerms(PayoutMethod.Tipalti, basisPoints, fixedFeeMinorUnits: 0, minimumMinorUnits: 1, minBusinessDays: 1, maxBusinessDays: 1);

        Assert.Equal(expectedFee, terms.FeeFor(amount));
    }

    [Fact]
    public void Adds_the_fixed_fee_when_terms_have_one()
    {
        var terms = new MethodFeeTerms(PayoutMethod.Bank, percentageFeeBasisPoints: 100, fixedFeeMinorUnits: 30, minimumMinorUnits: 100, minBusinessDays: 1, maxBusinessDays: 2);

        Assert.Equal(130, terms.FeeFor(10_000));
    }

    [Fact]
    public void Uses_the_published_defaults_when_nothing_is_configured()
    {
        var payoneer = FeeSchedule.Default.For(PayoutMethod.Payoneer);
        var tipalti = FeeSchedule.Default.For(PayoutMethod.Tipalti);
        var bank = FeeSchedule.Default.For(PayoutMethod.Bank);

        Assert.Equal((200, 0L, 5000L, 1, 3, false), (payoneer.PercentageFeeBasisPoints, payoneer.FixedFeeMinorUnits, payoneer.MinimumMinorUnits, payoneer.MinBusinessDays, payoneer.MaxBusinessDays, payoneer.SupportsInstant));
        Assert.Equal((150, 0L, 5000L, 3, 5, false), (tipalti.PercentageFeeBasisPoints, tipalti.FixedFeeMinorUnits, tipalti.MinimumMinorUnits, tipalti.MinBusinessDays, tipalti.MaxBusinessDays, tipalti.SupportsInstant));
        Assert.Equal((0, 50L, 100L, 1, 2, true), (bank.PercentageFeeBasisPoints, bank.FixedFeeMinorUnits, bank.MinimumMinorUnits, bank.MinBusinessDays, bank.MaxBusinessDays, bank.SupportsInstant));
    }

    [Theory]
    [InlineData(-1, 0, 100, 1, 2, "percentage fee")]
    [InlineData(10_001, 0, 100, 1, 2, "percentage fee")]
    [InlineData(0, -1, 100, 1, 2, "fixed fee cannot be negative")]
    [InlineData(0, 0, 0, 1, 2, "minimum")]
    [InlineData(0, 100, 100, 1, 2, "fixed fee must be below the minimum")]
    [InlineData(0, 0, 100, 3, 2, "processing days")]
    [InlineData(0, 0, 100, -1, 2, "processing days")]
    public void Refuses_with_a_clear_message_when_configured_terms_make_no_sense(int basisPoints, long fixedFee, long minimum, int minDays, int maxDays, string expectedInMessage)
    {
        var error = Assert.Throws<ArgumentException>(() => new MethodFeeTerms(PayoutMethod.Bank, basisPoints, fixedFee, minimum, minDays, maxDays));

        Assert.Contains("Fee terms for bank", error.Message);
        Assert.Contains(expectedInMessage, error.Message);
    }

    [Fact]
    public void Refuses_a_schedule_when_a_method_is_missing()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeeSchedule([FeeSchedule.Default.For(PayoutMethod.Payoneer)]));

        Assert.Contains("missing for: tipalti, bank", error.Message);
    }

    [Fact]
    public void Refuses_a_schedule_when_a_method_is_given_twice()
    {
        var payoneer = FeeSchedule.Default.For(PayoutMethod.Payoneer);

        Assert.Throws<ArgumentException>(() => new FeeSchedule([.. FeeSchedule.Default.All, payoneer]));
    }
}
