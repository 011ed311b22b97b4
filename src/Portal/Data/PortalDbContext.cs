using Cashout.Domain.Cashouts;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Audit;
using Cashout.Portal.Balances;
using Cashout.Portal.Cashouts;
using Cashout.Portal.Email;
using Cashout.Portal.Ledger;
using Cashout.Portal.Merchants;
using Cashout.Portal.Identity;
using Cashout.Portal.Providers;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cashout.Portal.Data;

/// <summary>
/// The portal's one database. The schema is this model: a change to it gets a migration in each provider's set
/// (`dotnet ef migrations add`, README "Changing the schema"), applied at start by <see cref="DatabaseMigration"/>.
/// This type is the SQLite database; <see cref="PostgreSqlPortalDbContext"/> the PostgreSQL one.
/// </summary>
public class PortalDbContext : IdentityDbContext<PortalUser>
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : base(options)
    {
    }

    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<MerchantProfile> MerchantProfiles => Set<MerchantProfile>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<LedgerTransactionRecord> LedgerTransactions => Set<LedgerTransactionRecord>();
    public DbSet<LedgerEntryRecord> LedgerEntries => Set<LedgerEntryRecord>();
    public DbSet<PendingFunding> PendingFundings => Set<PendingFunding>();
    public DbSet<PaymentMethod> PaymentMethods => Set<PaymentMethod>();
    public DbSet<MerchantCashout> Cashouts => Set<MerchantCashout>();
    public DbSet<CashoutEvent> CashoutEvents => Set<CashoutEvent>();
    public DbSet<DeclinedAttempt> DeclinedAttempts => Set<DeclinedAttempt>();
    public DbSet<ProviderSubmission> ProviderSubmissions => Set<ProviderSubmission>();
    public DbSet<ProviderWebhookReceipt> ProviderWebhookReceipts => Set<ProviderWebhookReceipt>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Api.Credentials.ApiCredential> ApiCredentials => Set<Api.Credentials.ApiCredential>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Identity.Sessions.UserSession> UserSessions => Set<Identity.Sessions.UserSession>();

    /// <summary>
    /// Identity shapes its tables by the IdentityOptions among the app's services (schema version 3 adds
    /// AspNetUserPasskeys). A context made without the app (`dotnet ef`, tests, tools) gets the same options here,
    /// so every context of this type has the one model the migrations describe.
    /// </summary>
    private static readonly IServiceProvider IdentityStoreOptions = new ServiceCollection()
        .Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentityExtensions.SchemaVersion)
        .BuildServiceProvider();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (optionsBuilder.Options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is null)
        {
            optionsBuilder.UseApplicationServiceProvider(IdentityStoreOptions);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset stored as text; store UTC milliseconds instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<OutboxMessage>(message =>
        {
            message.HasKey(m => m.Id);
            message.Property(m => m.To).HasMaxLength(256);
            message.Property(m => m.Subject).HasMaxLength(300);
            message.Property(m => m.Kind).HasMaxLength(100);
            message.HasIndex(m => new { m.Status, m.NextAttemptAt });
        });
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    private sealed class UtcMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.ToUnixTimeMilliseconds(),
        stored => DateTimeOffset.FromUnixTimeMilliseconds(stored));
}
