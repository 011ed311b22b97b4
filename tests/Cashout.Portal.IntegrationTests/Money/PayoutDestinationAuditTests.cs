using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.PaymentMethods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Money;

/// <summary>
/// A change of where money is paid is the first fraud signal: linking and unlinking write an audit entry with who did
/// it, from which address, through what, and the payee before and after, in the transaction that made the change.
/// </summary>
public sealed class PayoutDestinationAuditTests : MoneyTest
{
    private const string Address = "203.0.113.7";

    [Fact]
    public async Task Linking_and_unlinking_each_write_an_audit_entry_with_actor_address_and_payee()
    {
        var merchant = Merchant with { ClientAddress = Address };

        var linked = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(
            merchant, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com")));
        AssertSucceeded(linked.Result);
        AssertSucceeded(await Use<UnlinkPaymentMethod, CommandResult>(unlink => unlink.HandleAsync(merchant, MerchantId, PayoutMethod.Payoneer)));

        var entries = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.PaymentMethodLinked || e.Action == AuditActions.PaymentMethodUnlinked)
            .OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.PaymentMethodLinked, AuditActions.PaymentMethodUnlinked], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AuditActorKind.Merchant, MerchantId, Address, "merchant", MerchantId), (e.ActorKind, e.ActorId, e.IpAddress, e.SubjectType, e.SubjectId)));
        Assert.Contains("payee@example.com", entries[0].After, StringComparison.Ordinal);
        Assert.Contains("\"portal\"", entries[0].After, StringComparison.Ordinal);
        Assert.Contains("payee@example.com", entries[1].Before, StringComparison.Ordinal);
        var chain = await Use<VerifyAuditChain, AuditChainReport?>(verify => verify.HandleAsync(Admin));
        Assert.True(chain!.IsIntact, chain.Problem);
    }

    [Fact]
    public async Task Linking_and_unlinking_from_a_page_record_the_address_of_the_circuit_when_the_caller_brings_none()
    {
        // As the payment-methods page does: a caller built from the principal alone, in a circuit whose scope knows
        // the address of the page request that started it (Routes.razor hands it to ClientAddress).
        var fromPrincipal = Merchant with { ClientAddress = null };
        await Portal.WithScopeAsync(async services =>
        {
            services.GetRequiredService<ClientAddress>().Set(Address);
            var linked = await services.GetRequiredService<LinkPaymentMethod>().HandleAsync(
                fromPrincipal, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "payee@example.com"));
            AssertSucceeded(linked.Result);
            AssertSucceeded(await services.GetRequiredService<UnlinkPaymentMethod>().HandleAsync(fromPrincipal, MerchantId, PayoutMethod.Payoneer));
        });

        var addresses = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.PaymentMethodLinked || e.Action == AuditActions.PaymentMethodUnlinked)
            .OrderBy(e => e.Id).Select(e => new { e.Action, e.IpAddress }).ToListAsync());
        Assert.Equal(
            [new { Action = AuditActions.PaymentMethodLinked, IpAddress = (string?)Address }, new { Action = AuditActions.PaymentMethodUnlinked, IpAddress = (string?)Address }],
            addresses);
    }

    [Fact]
    public async Task A_link_the_provider_refuses_writes_no_audit_entry()
    {
        var refused = await Use<LinkPaymentMethod, LinkPaymentMethodOutcome>(link => link.HandleAsync(
            Merchant, new LinkPaymentMethodCommand(MerchantId, PayoutMethod.Payoneer, PayeeEmail: "payee+invalid@example.com")));

        Assert.False(refused.Result.Succeeded);
        Assert.False(await Portal.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PaymentMethodLinked)));
    }
}
