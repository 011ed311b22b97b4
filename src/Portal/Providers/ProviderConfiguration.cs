using Cashout.Domain.Cashouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Providers;

internal sealed class ProviderSubmissionConfiguration : IEntityTypeConfiguration<ProviderSubmission>
{
    public void Configure(EntityTypeBuilder<ProviderSubmission> submission)
    {
        submission.ToTable("ProviderSubmissions");
        submission.HasKey(s => s.CashoutId);
        submission.Property(s => s.CashoutId).ValueGeneratedNever();
        submission.Property(s => s.Provider).HasConversion<string>().HasMaxLength(20);
        submission.Property(s => s.IdempotencyKey).HasMaxLength(64);
        submission.Property(s => s.ProviderPayoutId).HasMaxLength(100);
        submission.Property(s => s.LastError).HasMaxLength(500);
        submission.HasOne<MerchantCashout>().WithOne().HasForeignKey<ProviderSubmission>(s => s.CashoutId).OnDelete(DeleteBehavior.Restrict);
        submission.HasIndex(s => s.IdempotencyKey).IsUnique();
    }
}

internal sealed class ProviderWebhookReceiptConfiguration : IEntityTypeConfiguration<ProviderWebhookReceipt>
{
    public void Configure(EntityTypeBuilder<ProviderWebhookReceipt> receipt)
    {
        receipt.ToTable("ProviderWebhookReceipts");
        receipt.HasKey(r => new { r.Provider, r.WebhookId });
        receipt.Property(r => r.Provider).HasConversion<string>().HasMaxLength(20);
        receipt.Property(r => r.WebhookId).HasMaxLength(100);
        receipt.Property(r => r.EventType).HasMaxLength(50);
        receipt.HasIndex(r => r.ReceivedAt);
    }
}
