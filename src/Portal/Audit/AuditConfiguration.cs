using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.HasKey(e => e.Id);
        // Consecutive ids are part of the chain: the writer assigns them, so a removed entry leaves a gap.
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.Category).HasConversion<string>().HasMaxLength(20);
        entry.Property(e => e.Action).HasMaxLength(50);
        entry.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(20);
        entry.Property(e => e.ActorId).HasMaxLength(64);
        entry.Property(e => e.ActorName).HasMaxLength(256);
        entry.Property(e => e.IpAddress).HasMaxLength(64);
        entry.Property(e => e.SubjectType).HasMaxLength(20);
        entry.Property(e => e.SubjectId).HasMaxLength(64);
        entry.Property(e => e.Summary).HasMaxLength(300);
        entry.Property(e => e.PreviousHash).HasMaxLength(64);
        entry.Property(e => e.Hash).HasMaxLength(64);
        entry.HasIndex(e => e.PreviousHash).IsUnique();
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => new { e.Action, e.At });
        entry.HasIndex(e => new { e.SubjectType, e.SubjectId });
    }
}
