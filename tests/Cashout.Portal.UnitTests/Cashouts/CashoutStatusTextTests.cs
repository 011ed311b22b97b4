using Cashout.Domain.Cashouts;
using Cashout.Portal.Cashouts;

namespace Cashout.Portal.UnitTests.Cashouts;

public sealed class CashoutStatusTextTests
{
    [Fact]
    public void RejectionMessage_puts_the_providers_words_first_its_codes_in_brackets_and_the_next_step_last_when_failed()
    {
        var message = CashoutStatusText.RejectionMessage(CashoutStatus.Failed, "808", "ERROR_OTHER: The payout was rejected by the provider.");

        Assert.Equal(
            "The payout was rejected by the provider (code 808 ERROR_OTHER). The amount and fee are back in your available balance. Check the payee details and request again.",
            message);
    }

    [Fact]
    public void RejectionMessage_says_the_bank_returned_it_and_to_check_the_bank_details_when_returned()
    {
        var message = CashoutStatusText.RejectionMessage(CashoutStatus.Returned, "AC04", "Account closed");

        Assert.Equal(
            "The beneficiary's bank returned the payout: Account closed (code AC04). The amount and fee are back in your available balance. Check the bank details and request again.",
            message);
    }

    [Fact]
    public void RejectionMessage_keeps_a_reason_whose_prefix_is_not_an_error_name_whole_when_it_has_a_colon()
    {
        var message = CashoutStatusText.RejectionMessage(CashoutStatus.Failed, null, "Payee says: account frozen");

        Assert.StartsWith("Payee says: account frozen. The amount", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CashoutStatus.Pending, "Manual review")]
    [InlineData(CashoutStatus.Completed, "Paid")]
    [InlineData(CashoutStatus.Failed, "  ")]
    [InlineData(CashoutStatus.Returned, null)]
    public void RejectionMessage_is_null_when_the_cashout_was_not_rejected_or_has_no_reason(CashoutStatus status, string? reason)
    {
        Assert.Null(CashoutStatusText.RejectionMessage(status, "808", reason));
    }
}
