using System.Text;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Api.LimePay;
using Cashout.Portal.Api.Marketplace;
using Cashout.Portal.Cashouts;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>
/// A leaked login and pass must not redirect the next payout: family A's link and unlink need the body signed with
/// the signature secret (ADR 019), each change emails the merchant, and a cashout to a destination linked within the
/// cooling-off period is held for an admin's review.
/// </summary>
public sealed class PayoutDestinationGuardTests : ApiTest
{
    public PayoutDestinationGuardTests() => Portal.WithSetting("Payouts:CoolingOffHours", "24");

    [Fact]
    public async Task Link_and_unlink_with_the_pass_alone_or_a_wrong_signature_are_401_and_change_nothing()
    {
        await LinkPayoneerAsync();
        var before = await SnapshotAsync();
        var link = """{"method":"tipalti","email":"attacker@example.com"}""";
        var unlink = """{"method":"payoneer"}""";
        var wrong = (string body) => LimePayApi.Sign("not_the_secret", Encoding.UTF8.GetBytes(body));

        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/link", link), 401, MarketplaceApi.SignatureRequiredMessage);
        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/link", link, signature: wrong(link)), 401, MarketplaceApi.SignatureRequiredMessage);
        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/unlink", unlink), 401, MarketplaceApi.SignatureRequiredMessage);
        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/unlink", unlink, signature: wrong(unlink)), 401, MarketplaceApi.SignatureRequiredMessage);
        // A signature of another body (the signed link's, sent with the unlink) proves nothing either.
        await ExpectAErrorAsync(await FamilyASignedAsync("/cashout/unlink", unlink, signature: LimePayApi.Sign(Secret, Encoding.UTF8.GetBytes(link))), 401, MarketplaceApi.SignatureRequiredMessage);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal("payee@example.com", await Portal.WithDbAsync(db => db.PaymentMethods.Where(m => m.UnlinkedAt == null).Select(m => m.PayeeEmail).SingleAsync()));
    }

    [Fact]
    public async Task An_unsigned_request_does_not_claim_the_idempotency_key_a_signed_retry_uses()
    {
        var body = """{"method":"payoneer","email":"payee@example.com"}""";

        await ExpectAErrorAsync(await FamilyAAsync(HttpMethod.Post, "/cashout/link", body, idempotencyKey: "link-1"), 401, MarketplaceApi.SignatureRequiredMessage);
        using var signed = await FamilyASignedAsync("/cashout/link", body, idempotencyKey: "link-1");

        await ExpectAsync(signed, 200);
        Assert.False(signed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await Portal.WithDbAsync(db => db.PaymentMethods.CountAsync()));
    }

    [Fact]
    public async Task A_signed_link_and_unlink_work_and_each_emails_the_merchant()
    {
        var emailsBefore = await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync());

        await ExpectAsync(await FamilyASignedAsync("/cashout/link", new { method = "payoneer", email = "payee@example.com" }), 200);
        await ExpectAsync(await FamilyASignedAsync("/cashout/unlink", new { method = "payoneer" }), 200);

        var security = await Portal.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Skip(emailsBefore).Select(m => new { m.To, m.Kind, m.Subject }).ToListAsync());
        Assert.Equal(["security.method-linked", "security.method-unlinked"], security.Select(m => m.Kind));
        Assert.All(security, m => Assert.Equal("merchant@cashout.test", m.To));
        Assert.All(security, m => Assert.Contains("Payoneer", m.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cashout_to_a_destination_linked_within_the_cooling_off_period_is_held_for_an_admins_review()
    {
        await ExpectAsync(await FamilyASignedAsync("/cashout/link", new { method = "payoneer", email = "payee@example.com" }), 200);

        var content = (await ExpectAsync(await ProcessAsync(10_000), 200))["content"]!;
        var cashout = await CashoutAsync(content["cashoutId"]!.GetValue<long>());

        Assert.Equal(CashoutStatus.OnHold, cashout.Status);
        Assert.Equal(ActorKind.System, cashout.HeldBy);
        Assert.Equal(RequestCashout.CoolingOffReason(Cashout.Domain.PaymentMethods.PayoutMethod.Payoneer, 24), cashout.HoldReason);
        Assert.Equal(new UsdBalances(MerchantAvailable - 10_000, MerchantPending, 10_000), await BalancesAsync());
        // Only an admin lifts a risk rule's hold: the merchant's own cancel is refused with who may.
        var refused = await ExpectAsync(await FamilyCAsync(HttpMethod.Post, "/v3/cashout/cancel", CBody(new { cashout_id = cashout.Id })), 400);
        Assert.Equal("This cashout is on hold for review by a risk rule: only an admin can release or cancel it.", refused["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cashout_to_a_destination_linked_longer_ago_than_the_cooling_off_period_is_not_held()
    {
        await ExpectAsync(await FamilyASignedAsync("/cashout/link", new { method = "payoneer", email = "payee@example.com" }), 200);
        Portal.Clock.Advance(TimeSpan.FromHours(24));

        var content = (await ExpectAsync(await ProcessAsync(10_000), 200))["content"]!;

        Assert.Equal(CashoutStatus.Pending, (await CashoutAsync(content["cashoutId"]!.GetValue<long>())).Status);
    }
}
