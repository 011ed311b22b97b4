namespace Cashout.Portal.Audit;

public static class AuditExtensions
{
    /// <summary>The hash-chained audit log of admin actions and security events.</summary>
    public static void AddAuditLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddScoped<ListAuditEntries>();
        builder.Services.AddScoped<VerifyAuditChain>();
    }
}
