using Cashout.Portal.Merchants;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>Business details that pass validation, and a shortcut through submit + approve for tests that need a verified merchant.</summary>
public static class TestBusiness
{
    public static BusinessDetails Details { get; } = new("Test Shop B.V.", "NL", "Tess Tester", "+31 20 123 4567", "finance@test-shop.example");

    public static void SubmitAndApprove(MerchantProfile profile, string adminId, DateTimeOffset now)
    {
        Assert.True(profile.Submit(Details, now).IsSuccess);
        Assert.True(profile.Approve(adminId, now).IsSuccess);
    }
}
