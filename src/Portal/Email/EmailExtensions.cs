namespace Cashout.Portal.Email;

public static class EmailExtensions
{
    public static void AddPortalEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailTransport>();
        builder.Services.AddScoped<SendDueEmails>();
        builder.Services.AddScoped<EmailOutbox>();
    }
}
