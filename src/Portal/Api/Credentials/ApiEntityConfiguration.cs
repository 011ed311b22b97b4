using Cashout.Portal.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Api.Credentials;

internal sealed class ApiCredentialConfiguration : IEntityTypeConfiguration<ApiCredential>
{
    public void Configure(EntityTypeBuilder<ApiCredential> credential)
    {
        credential.ToTable("ApiCredentials");
        credential.HasKey(c => c.MerchantId);
        credential.Property(c => c.MerchantId).HasMaxLength(64);
        credential.Property(c => c.Login).HasMaxLength(ApiCredential.MaxLength);
        credential.Property(c => c.PassSalt).HasMaxLength(64);
        credential.Property(c => c.PassHash).HasMaxLength(64);
        credential.Property(c => c.ProtectedSignatureSecret).HasMaxLength(1000);
        credential.HasIndex(c => c.Login).IsUnique();
        credential.HasOne<Identity.PortalUser>().WithMany().HasForeignKey(c => c.MerchantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BalanceAccountConfiguration : IEntityTypeConfiguration<BalanceAccount>
{
    public void Configure(EntityTypeBuilder<BalanceAccount> account)
    {
        account.ToTable("BalanceAccounts");
        account.HasKey(a => a.Id);
        account.Property(a => a.Id).HasMaxLength(32);
        account.Property(a => a.MerchantId).HasMaxLength(64);
        account.HasIndex(a => a.MerchantId).IsUnique();
        account.HasOne<Identity.PortalUser>().WithMany().HasForeignKey(a => a.MerchantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<Infrastructure.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<Infrastructure.IdempotencyRecord> record)
    {
        record.ToTable("IdempotencyRecords");
        record.HasKey(r => r.Id);
        record.Property(r => r.MerchantId).HasMaxLength(64);
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.HasIndex(r => new { r.MerchantId, r.Key }).IsUnique();
        record.HasIndex(r => r.ExpiresAt);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("WebhookEndpoints");
        endpoint.HasKey(e => e.MerchantId);
        endpoint.Property(e => e.MerchantId).HasMaxLength(64);
        endpoint.Property(e => e.Url).HasMaxLength(500);
        endpoint.Property(e => e.ProtectedSigningSecret).HasMaxLength(1000);
        endpoint.HasOne<Identity.PortalUser>().WithMany().HasForeignKey(e => e.MerchantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("WebhookDeliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Id).HasMaxLength(40);
        delivery.Property(d => d.MerchantId).HasMaxLength(64);
        delivery.Property(d => d.EventType).HasMaxLength(100);
        delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        delivery.Property(d => d.LastError).HasMaxLength(300);
        delivery.HasMany(d => d.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        delivery.HasIndex(d => new { d.MerchantId, d.CreatedAt });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> attempt)
    {
        attempt.ToTable("WebhookAttempts");
        attempt.HasKey(a => a.Id);
        attempt.Property(a => a.DeliveryId).HasMaxLength(40);
        attempt.Property(a => a.Error).HasMaxLength(300);
    }
}
