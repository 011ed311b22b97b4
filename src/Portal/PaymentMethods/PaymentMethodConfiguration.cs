using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cashout.Portal.PaymentMethods;

internal sealed class PaymentMethodConfiguration : IEntityTypeConfiguration<PaymentMethod>
{
    public void Configure(EntityTypeBuilder<PaymentMethod> method)
    {
        method.ToTable("PaymentMethods");
        method.HasKey(m => m.Id);
        method.Property(m => m.MerchantId).HasMaxLength(64);
        method.Property(m => m.Method).HasConversion<string>().HasMaxLength(20);
        method.Property(m => m.PayeeEmail).HasMaxLength(256);
        method.Property(m => m.PayeeId).HasMaxLength(100);
        method.Property(m => m.TransferInstrumentId).HasMaxLength(40);
        method.OwnsOne(m => m.BankAccount, bank =>
        {
            bank.Property(b => b.HolderName).HasColumnName("BankHolderName").HasMaxLength(200);
            bank.Property(b => b.Iban).HasColumnName("BankIban").HasMaxLength(34);
            bank.Property(b => b.AccountNumber).HasColumnName("BankAccountNumber").HasMaxLength(34);
            bank.Property(b => b.Country).HasColumnName("BankCountry").HasMaxLength(2);
            bank.Property(b => b.Currency).HasColumnName("BankCurrency").HasConversion(CurrencyConverter.Instance).HasMaxLength(3);
        });

        // One linked method of each kind per merchant; unlinked ones stay for the history of their cashouts.
        method.HasIndex(m => new { m.MerchantId, m.Method }).IsUnique().HasFilter("UnlinkedAt IS NULL").HasDatabaseName("IX_PaymentMethods_OneLinkedPerKind");
        method.HasIndex(m => m.TransferInstrumentId).IsUnique().HasFilter("TransferInstrumentId IS NOT NULL");
    }
}
