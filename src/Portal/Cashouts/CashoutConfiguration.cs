using System.Text.Json;
using Cashout.Domain.Cashouts;
using Cashout.Domain.Fees;
using Cashout.Domain.Monetary;
using Cashout.Portal.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Cashouts;

internal sealed class CashoutConfiguration : IEntityTypeConfiguration<MerchantCashout>
{
    public void Configure(EntityTypeBuilder<MerchantCashout> cashout)
    {
        cashout.ToTable("Cashouts");
        cashout.HasKey(c => c.Id);
        cashout.Property(c => c.Id).ValueGeneratedOnAdd();
        cashout.Property(c => c.MerchantId).HasMaxLength(64);
        cashout.Property(c => c.Method).HasConversion<string>().HasMaxLength(20);
        cashout.Property(c => c.FeeSemantics).HasConversion<string>().HasMaxLength(30);
        cashout.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        cashout.Property(c => c.HeldBy).HasConversion<string>().HasMaxLength(20);
        cashout.Property(c => c.PayeeReference).HasMaxLength(256);
        cashout.Property(c => c.ExternalId).HasMaxLength(100);
        cashout.Property(c => c.HoldReason).HasMaxLength(500);
        cashout.Property(c => c.RejectionCode).HasMaxLength(50);
        cashout.Property(c => c.RejectionReason).HasMaxLength(500);
        cashout.Property(c => c.ProviderReference).HasMaxLength(100);
        MapMoney(cashout, c => c.Amount, "Amount");
        MapMoney(cashout, c => c.Fee, "Fee");
        MapMoney(cashout, c => c.NetPayout, "NetPayout");
        MapMoney(cashout, c => c.Debit, "Debit");
        cashout.Property(c => c.Quote).HasConversion(
            quote => JsonSerializer.Serialize(quote, PortalJson.Options),
            json => JsonSerializer.Deserialize<Quote>(json, PortalJson.Options)!);

        // Optimistic concurrency: every transition bumps Version; the UPDATE matches only the version that was read.
        cashout.Property(c => c.Version).IsConcurrencyToken();

        // At most one cashout awaiting submission per merchant, enforced by the database (DESIGN.md rule 4).
        cashout.HasIndex(c => c.MerchantId).IsUnique().HasFilter("Status IN ('Pending', 'OnHold')").HasDatabaseName("IX_Cashouts_OneAwaitingPerMerchant");
        cashout.HasIndex(c => new { c.MerchantId, c.CreatedAt });
        cashout.HasIndex(c => new { c.Status, c.CreatedAt });
        // The merchant's cashouts in flight (dashboard) without walking its whole history (docs/performance.md).
        cashout.HasIndex(c => new { c.MerchantId, c.Status, c.CreatedAt });
        cashout.HasIndex(c => new { c.MerchantId, c.ExternalId }).IsUnique().HasFilter("ExternalId IS NOT NULL");
    }

    private static void MapMoney(EntityTypeBuilder<MerchantCashout> cashout, System.Linq.Expressions.Expression<Func<MerchantCashout, Money>> property, string column) =>
        cashout.ComplexProperty(property, money =>
        {
            money.Property(m => m.MinorUnits).HasColumnName(column);
            money.Property(m => m.Currency).HasColumnName(column + "Currency").HasConversion(CurrencyConverter.Instance).HasMaxLength(3);
        });
}

internal sealed class CashoutEventConfiguration : IEntityTypeConfiguration<CashoutEvent>
{
    public void Configure(EntityTypeBuilder<CashoutEvent> cashoutEvent)
    {
        cashoutEvent.ToTable("CashoutEvents");
        cashoutEvent.HasKey(e => e.Id);
        cashoutEvent.Property(e => e.Type).HasConversion<string>().HasMaxLength(20);
        cashoutEvent.Property(e => e.FromStatus).HasConversion<string>().HasMaxLength(20);
        cashoutEvent.Property(e => e.ToStatus).HasConversion<string>().HasMaxLength(20);
        cashoutEvent.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(20);
        cashoutEvent.Property(e => e.ActorId).HasMaxLength(64);
        cashoutEvent.Property(e => e.Reason).HasMaxLength(500);
        cashoutEvent.Property(e => e.ProviderCode).HasMaxLength(50);
        cashoutEvent.Property(e => e.Detail).HasMaxLength(500);
        cashoutEvent.HasOne<MerchantCashout>().WithMany().HasForeignKey(e => e.CashoutId).OnDelete(DeleteBehavior.Restrict);
        cashoutEvent.HasIndex(e => new { e.CashoutId, e.Id });
    }
}

internal sealed class DeclinedAttemptConfiguration : IEntityTypeConfiguration<DeclinedAttempt>
{
    public void Configure(EntityTypeBuilder<DeclinedAttempt> attempt)
    {
        attempt.ToTable("DeclinedAttempts");
        attempt.HasKey(a => a.Id);
        attempt.Property(a => a.MerchantId).HasMaxLength(64);
        attempt.Property(a => a.Source).HasMaxLength(20);
        attempt.Property(a => a.Method).HasMaxLength(20);
        attempt.Property(a => a.Currency).HasMaxLength(3);
        attempt.Property(a => a.Rule).HasConversion<string>().HasMaxLength(40);
        attempt.Property(a => a.Message).HasMaxLength(200);
        attempt.Property(a => a.Detail).HasMaxLength(500);
        attempt.HasIndex(a => new { a.MerchantId, a.At });
        attempt.HasIndex(a => a.At);
    }
}
