using Cashout.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.Ledger;

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> account)
    {
        // The database itself refuses a negative available, pending or reserved balance.
        account.ToTable(t => t.HasCheckConstraint(
            "CK_LedgerAccounts_NonNegative",
            "Kind NOT IN ('MerchantAvailable', 'MerchantPending', 'MerchantReserved') OR Balance >= 0"));
        account.HasKey(a => a.Id);
        account.Property(a => a.Key).HasMaxLength(200);
        account.HasIndex(a => a.Key).IsUnique();
        account.HasIndex(a => a.MerchantId);
        account.Property(a => a.Kind).HasConversion<string>().HasMaxLength(40);
        account.Property(a => a.Provider).HasConversion<string>().HasMaxLength(20);
        account.Property(a => a.Currency).HasMaxLength(3);
    }
}

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransactionRecord>
{
    public void Configure(EntityTypeBuilder<LedgerTransactionRecord> transaction)
    {
        transaction.ToTable("LedgerTransactions");
        transaction.HasKey(t => t.Id);
        transaction.Property(t => t.Kind).HasConversion<string>().HasMaxLength(40);
        transaction.Property(t => t.Description).HasMaxLength(500);
        transaction.HasIndex(t => new { t.MerchantId, t.PostedAt });
        transaction.HasIndex(t => t.CashoutId);
        transaction.HasMany(t => t.Entries).WithOne().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntryRecord>
{
    public void Configure(EntityTypeBuilder<LedgerEntryRecord> entry)
    {
        entry.ToTable("LedgerEntries");
        entry.HasKey(e => e.Id);
        entry.HasOne<LedgerAccount>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        entry.HasIndex(e => e.AccountId);
    }
}
