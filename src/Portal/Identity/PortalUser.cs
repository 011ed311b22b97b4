using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>A person who signs in to the portal: a merchant or an admin (see <see cref="PortalRoles"/>).</summary>
public sealed class PortalUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}

public static class PortalRoles
{
    public const string Merchant = "Merchant";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Merchant, Admin];
}
