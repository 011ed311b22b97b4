using Cashout.Portal.Balances;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Merchants;

internal sealed class MerchantProfileConfiguration : IEntityTypeConfiguration<MerchantProfile>
{
    public void Configure(EntityTypeBuilder<MerchantProfile> profile)
    {
        profile.ToTable("MerchantProfiles");
        profile.HasKey(p => p.MerchantId);
        profile.Property(p => p.MerchantId).HasMaxLength(64);
        profile.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        profile.Property(p => p.ReviewedBy).HasMaxLength(64);
        profile.Property(p => p.RejectionReason).HasMaxLength(MerchantProfile.MaxReasonLength);
        profile.Property(p => p.LegalName).HasMaxLength(BusinessDetails.MaxNameLength);
        profile.Property(p => p.Country).HasMaxLength(2);
        profile.Property(p => p.ContactName).HasMaxLength(BusinessDetails.MaxNameLength);
        profile.Property(p => p.ContactPhone).HasMaxLength(BusinessDetails.MaxPhoneLength);
        profile.Property(p => p.ContactEmail).HasMaxLength(254);
        profile.Ignore(p => p.Details);
        // The verification queue: submitted merchants, oldest submission first.
        profile.HasIndex(p => new { p.Status, p.SubmittedAt });
        profile.HasOne<Identity.PortalUser>().WithOne().HasForeignKey<MerchantProfile>(p => p.MerchantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PendingFundingConfiguration : IEntityTypeConfiguration<PendingFunding>
{
    public void Configure(EntityTypeBuilder<PendingFunding> funding)
    {
        funding.ToTable("PendingFundings");
        funding.HasKey(f => f.Id);
        funding.Property(f => f.MerchantId).HasMaxLength(64);
        funding.Property(f => f.Currency).HasMaxLength(3);
        funding.Property(f => f.Description).HasMaxLength(200);
        funding.Ignore(f => f.Money);
        funding.HasIndex(f => new { f.SettledAt, f.SettlesAt });
    }
}
