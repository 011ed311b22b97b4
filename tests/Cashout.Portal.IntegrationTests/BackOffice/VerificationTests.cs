using System.Text.Json;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Merchants;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.BackOffice;

/// <summary>Merchant verification: submit, approve, reject with a reason, resubmit; each refused from the wrong state.</summary>
public sealed class VerificationTests : MoneyTest
{
    private static SubmitBusinessDetailsCommand ValidDetails(string merchantId) =>
        new(merchantId, " Newcomer Trading Ltd ", "gb", "Nia Newcomer", "+44 20 7946 0958", null);

    [Fact]
    public async Task Submit_stores_the_trimmed_details_as_Submitted_when_they_are_valid()
    {
        var outcome = await SubmitAsync(ValidDetails(NewcomerId));

        AssertSucceeded(outcome.Result);
        var profile = await ProfileAsync(NewcomerId);
        Assert.Equal(VerificationStatus.Submitted, profile.Status);
        Assert.Equal(new BusinessDetails("Newcomer Trading Ltd", "GB", "Nia Newcomer", "+44 20 7946 0958", null), profile.Details);
        Assert.Equal(Portal.Clock.GetUtcNow().ToUnixTimeMilliseconds(), profile.SubmittedAt!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Submit_reports_every_field_problem_and_writes_nothing_when_the_details_are_invalid()
    {
        var outcome = await SubmitAsync(new SubmitBusinessDetailsCommand(NewcomerId, "X", "Narnia", " ", null, " "));

        AssertRefused(outcome.Result, "invalid_details");
        Assert.Equal(["legalName", "country", "contactName", "contactPhone"], outcome.Problems!.Select(p => p.Field));
        Assert.Equal(VerificationStatus.NotSubmitted, (await ProfileAsync(NewcomerId)).Status);
        Assert.Equal(0, await AuditCountAsync());
    }

    [Fact]
    public async Task Submit_and_resubmit_are_audited_with_the_merchant_its_address_and_the_details_before_and_after()
    {
        var merchant = Caller.Merchant(NewcomerId) with { ClientAddress = "203.0.113.9" };
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId), merchant)).Result);
        AssertSucceeded(await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(Admin, NewcomerId, "The legal name does not match the registry.")));

        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId) with { LegalName = "Newcomer Trading Limited" }, merchant)).Result);

        var entries = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.BusinessDetailsSubmitted).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(
            (AuditCategory.SecurityEvent, AuditActorKind.Merchant, NewcomerId, "newcomer@cashout.test", "203.0.113.9", "merchant", NewcomerId),
            (e.Category, e.ActorKind, e.ActorId, e.ActorName, e.IpAddress, e.SubjectType, e.SubjectId)));
        var (firstBefore, firstAfter) = (JsonDocument.Parse(entries[0].Before!).RootElement, JsonDocument.Parse(entries[0].After!).RootElement);
        Assert.Equal(("NotSubmitted", JsonValueKind.Null), (firstBefore.GetProperty("status").GetString(), firstBefore.GetProperty("details").ValueKind));
        Assert.Equal(("Submitted", "Newcomer Trading Ltd", "GB"), (firstAfter.GetProperty("status").GetString(),
            firstAfter.GetProperty("details").GetProperty("legalName").GetString(), firstAfter.GetProperty("details").GetProperty("country").GetString()));
        var (againBefore, againAfter) = (JsonDocument.Parse(entries[1].Before!).RootElement, JsonDocument.Parse(entries[1].After!).RootElement);
        Assert.Equal(("Rejected", "Newcomer Trading Ltd", "The legal name does not match the registry."), (againBefore.GetProperty("status").GetString(),
            againBefore.GetProperty("details").GetProperty("legalName").GetString(), againBefore.GetProperty("rejectionReason").GetString()));
        Assert.Equal("Newcomer Trading Limited", againAfter.GetProperty("details").GetProperty("legalName").GetString());
        Assert.True((await Use<VerifyAuditChain, AuditChainReport?>(verify => verify.HandleAsync(Admin)))!.IsIntact);
    }

    [Theory]
    [InlineData("0044 20 7946 0958", null, "contactPhone")]
    [InlineData("+44 (20) 79", null, "contactPhone")]
    [InlineData(null, "finance@", "contactEmail")]
    public async Task Submit_refuses_a_contact_that_cannot_be_reached_when_the_phone_or_email_is_malformed(string? phone, string? email, string field)
    {
        var outcome = await SubmitAsync(new SubmitBusinessDetailsCommand(NewcomerId, "Newcomer Ltd", "GB", "Nia", phone, email));

        AssertRefused(outcome.Result, "invalid_details");
        Assert.Equal([field], outcome.Problems!.Select(p => p.Field));
    }

    [Fact]
    public async Task Submit_is_refused_when_the_details_are_under_review_or_already_approved()
    {
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId))).Result);

        AssertRefused((await SubmitAsync(ValidDetails(NewcomerId))).Result, MerchantProfile.InvalidStateCode);
        AssertRefused((await SubmitAsync(ValidDetails(MerchantId))).Result, MerchantProfile.InvalidStateCode);
    }

    [Fact]
    public async Task Approve_verifies_the_merchant_emails_it_and_audits_it_so_that_linking_is_no_longer_refused()
    {
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId))).Result);
        var refused = await LinkAsync(NewcomerId);
        AssertRefused(refused.Result, MerchantStanding.VerificationRequiredCode);
        Assert.Equal(MerchantStanding.VerificationRequired, refused.Result.Message);

        AssertSucceeded(await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(Admin with { ClientAddress = "203.0.113.7" }, NewcomerId)));

        var profile = await ProfileAsync(NewcomerId);
        Assert.Equal((VerificationStatus.Approved, AdminId), (profile.Status, profile.ReviewedBy));
        Assert.True(await Use<GetVerification, bool>(async v => (await v.HandleAsync(Caller.Merchant(NewcomerId), NewcomerId))!.IsVerified));
        Assert.Contains("Your Cashout Portal account is verified", await SubjectsToAsync("newcomer@cashout.test"));
        var entry = await LastAuditEntryAsync();
        Assert.Equal((AuditActions.MerchantApproved, AuditActorKind.Admin, AdminId, "203.0.113.7", "merchant", NewcomerId),
            (entry.Action, entry.ActorKind, entry.ActorId, entry.IpAddress, entry.SubjectType, entry.SubjectId));
        Assert.Equal("admin@cashout.test", entry.ActorName);
        Assert.Equal("Submitted", JsonDocument.Parse(entry.Before!).RootElement.GetProperty("status").GetString());
        Assert.Equal("Approved", JsonDocument.Parse(entry.After!).RootElement.GetProperty("status").GetString());
        AssertSucceeded((await LinkAsync(NewcomerId)).Result);
    }

    [Fact]
    public async Task Approve_and_reject_are_refused_and_write_nothing_when_nothing_is_under_review()
    {
        var before = await AuditCountAsync();

        AssertRefused(await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(Admin, NewcomerId)), MerchantProfile.InvalidStateCode);
        AssertRefused(await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(Admin, NewcomerId, "Wrong name")), MerchantProfile.InvalidStateCode);
        AssertRefused(await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(Admin, MerchantId)), MerchantProfile.InvalidStateCode);
        AssertRefused(await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(Admin, MerchantId, "Wrong name")), MerchantProfile.InvalidStateCode);

        Assert.Equal(before, await AuditCountAsync());
        Assert.Equal(VerificationStatus.NotSubmitted, (await ProfileAsync(NewcomerId)).Status);
        Assert.Equal(VerificationStatus.Approved, (await ProfileAsync(MerchantId)).Status);
    }

    [Fact]
    public async Task Approve_of_an_unknown_merchant_is_not_found()
    {
        Assert.Equal(CommandStatus.NotFound, (await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(Admin, "no-such-merchant"))).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Reject_is_refused_and_writes_nothing_when_the_reason_is_missing(string? reason)
    {
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId))).Result);

        AssertRefused(await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(Admin, NewcomerId, reason)), MerchantProfile.ReasonRequiredCode);

        Assert.Equal(VerificationStatus.Submitted, (await ProfileAsync(NewcomerId)).Status);
    }

    [Fact]
    public async Task Reject_tells_the_merchant_why_and_a_corrected_resubmission_can_then_be_approved()
    {
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId))).Result);

        AssertSucceeded(await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(Admin, NewcomerId, " The legal name does not match the registry. ")));

        var rejected = await Use<GetVerification, MerchantVerification?>(v => v.HandleAsync(Caller.Merchant(NewcomerId), NewcomerId));
        Assert.Equal((VerificationStatus.Rejected, "The legal name does not match the registry."), (rejected!.Status, rejected.RejectionReason));
        Assert.False(rejected.IsVerified);
        Assert.Contains("Action needed: your business details were not approved", await SubjectsToAsync("newcomer@cashout.test"));
        Assert.Equal(AuditActions.MerchantRejected, (await LastAuditEntryAsync()).Action);

        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId) with { LegalName = "Newcomer Trading Limited" })).Result);
        Assert.Equal(VerificationStatus.Submitted, (await ProfileAsync(NewcomerId)).Status);
        AssertSucceeded(await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(Admin, NewcomerId)));
        Assert.Equal("Newcomer Trading Limited", (await ProfileAsync(NewcomerId)).LegalName);
    }

    [Fact]
    public async Task Merchant_is_refused_and_nothing_is_written_when_it_calls_an_admin_action()
    {
        AssertSucceeded((await SubmitAsync(ValidDetails(NewcomerId))).Result);
        var merchant = Caller.Merchant(NewcomerId);
        var before = await SnapshotAsync();

        Assert.Equal(CommandStatus.Forbidden, (await Use<ApproveMerchant, CommandResult>(a => a.HandleAsync(merchant, NewcomerId))).Status);
        Assert.Equal(CommandStatus.Forbidden, (await Use<RejectMerchant, CommandResult>(r => r.HandleAsync(merchant, NewcomerId, "no"))).Status);

        Assert.Equal(VerificationStatus.Submitted, (await ProfileAsync(NewcomerId)).Status);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal([AuditActions.BusinessDetailsSubmitted], await Portal.WithDbAsync(db => db.AuditEntries.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task Merchant_gets_nothing_when_it_asks_for_another_merchants_verification_or_submits_for_it()
    {
        Assert.Null(await Use<GetVerification, MerchantVerification?>(v => v.HandleAsync(Caller.Merchant(NewcomerId), MerchantId)));
        Assert.Equal(CommandStatus.NotFound, (await SubmitAsync(ValidDetails(MerchantId), Caller.Merchant(NewcomerId))).Result.Status);
    }

    private Task<SubmitBusinessDetailsOutcome> SubmitAsync(SubmitBusinessDetailsCommand command, Caller? caller = null) =>
        Use<SubmitBusinessDetails, SubmitBusinessDetailsOutcome>(s => s.HandleAsync(caller ?? Caller.Merchant(command.MerchantId), command));

    private Task<LinkPaymentMethodOutcome> LinkAsync(string merchantId) =>
        Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(l => l.HandleAsync(SteppedUp(merchantId), new LinkPaymentMethodCommand(merchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));

    private Task<MerchantProfile> ProfileAsync(string merchantId) =>
        Portal.WithDbAsync(db => db.MerchantProfiles.AsNoTracking().SingleAsync(p => p.MerchantId == merchantId));

    private Task<List<string>> SubjectsToAsync(string to) =>
        Portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == to).Select(m => m.Subject).ToListAsync());

    private Task<AuditEntry> LastAuditEntryAsync() =>
        Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync());

    private Task<int> AuditCountAsync() => Portal.WithDbAsync(db => db.AuditEntries.CountAsync());
}
