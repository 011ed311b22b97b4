using System.Net;
using System.Text.Json;
using Cashout.Portal.Admin.Users;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>
/// /admin/users' use cases over the real app: a lock and a two-factor reset take effect on the person's open
/// sessions at once, the last admin keeps its role, and bad input is refused with nothing written.
/// </summary>
public sealed class UserManagementTests : IAsyncLifetime
{
    private const string Reason = "Support ticket 4411: phone lost";
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Lock_signs_the_person_out_of_an_open_session_at_once_and_refuses_sign_in_until_unlocked()
    {
        var merchantSession = await SignIn.AsAsync(portal, DemoSeed.MerchantEmail, DemoSeed.Password);
        Assert.Equal(HttpStatusCode.OK, (await merchantSession.GetAsync("/")).StatusCode);
        var (admin, merchantId) = (await AdminAsync(), await IdOfAsync(DemoSeed.MerchantEmail));

        var locked = await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: true, " Chargeback fraud under review ")));

        Assert.True(locked.Succeeded, locked.Message);
        await AssertSignedOutAsync(merchantSession);
        var again = await SignIn.SubmitLoginAsync(portal.CreateBrowserlessClient(), DemoSeed.MerchantEmail, DemoSeed.Password);
        Assert.Equal("/Account/Lockout", again.Headers.Location!.PathAndQuery());
        var entry = await LastEntryAsync(AuditActions.UserLocked);
        Assert.Equal((AuditCategory.AdminAction, admin.Id, merchantId), (entry.Category, entry.ActorId, entry.SubjectId));
        Assert.Equal("Chargeback fraud under review", JsonDocument.Parse(entry.After!).RootElement.GetProperty("reason").GetString());
        Assert.Contains("security.account-locked", await EmailKindsToAsync(DemoSeed.MerchantEmail));

        var unlocked = await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: false, "Cleared by risk")));

        Assert.True(unlocked.Succeeded, unlocked.Message);
        var signedIn = await SignIn.SubmitLoginAsync(portal.CreateBrowserlessClient(), DemoSeed.MerchantEmail, DemoSeed.Password);
        Assert.Equal("/", signedIn.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task Two_factor_reset_removes_every_second_factor_signs_the_admin_out_and_it_must_enrol_again()
    {
        var adminSession = await SignIn.AsAsync(portal, DemoSeed.AdminEmail, DemoSeed.Password);
        Assert.Equal(HttpStatusCode.OK, (await adminSession.GetAsync("/admin/audit")).StatusCode);
        var adminId = await IdOfAsync(DemoSeed.AdminEmail);
        await portal.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByIdAsync(adminId);
            Assert.True((await users.AddOrUpdatePasskeyAsync(user!, TestPasskeys.Make("Work laptop", portal.Clock.GetUtcNow()))).Succeeded);
        });
        var otherAdmin = Caller.Admin("second-admin");

        var reset = await portal.UseAsync<ResetTwoFactor, CommandResult>(r => r.HandleAsync(otherAdmin, new ResetTwoFactorCommand(adminId, Reason)));

        Assert.True(reset.Succeeded, reset.Message);
        await AssertSignedOutAsync(adminSession);
        var left = await portal.WithDbAsync(async db => new
        {
            TwoFactor = await db.Users.Where(u => u.Id == adminId).Select(u => u.TwoFactorEnabled).SingleAsync(),
            Tokens = await db.UserTokens.CountAsync(t => t.UserId == adminId),
            Passkeys = await db.UserPasskeys.CountAsync(p => p.UserId == adminId),
        });
        Assert.Equal(new { TwoFactor = false, Tokens = 0, Passkeys = 0 }, left);
        var entry = await LastEntryAsync(AuditActions.TwoFactorReset);
        var before = JsonDocument.Parse(entry.Before!).RootElement;
        Assert.Equal((true, true, 1), (before.GetProperty("twoFactorEnabled").GetBoolean(), before.GetProperty("authenticator").GetBoolean(), before.GetProperty("passkeys").GetInt32()));
        Assert.Contains("security.two-factor-reset", await EmailKindsToAsync(DemoSeed.AdminEmail));

        // The password alone signs in now (no code is asked), and the back office sends the admin to enrol again.
        var client = portal.CreateBrowserlessClient();
        Assert.Equal("/", (await SignIn.SubmitLoginAsync(client, DemoSeed.AdminEmail, DemoSeed.Password)).Headers.Location!.PathAndQuery());
        var backOffice = await client.GetAsync("/admin/audit");
        Assert.StartsWith(TwoFactorEnabledRequirement.SetupPage, backOffice.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_admin_cannot_remove_its_own_admin_role_and_can_once_another_admin_can_sign_in()
    {
        var admin = await AdminAsync();
        var merchantId = await IdOfAsync(DemoSeed.MerchantEmail);
        var stepDown = new ChangeUserRoleCommand(admin.Id, PortalRoles.Admin, Grant: false, "Leaving the team");

        var alone = await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, stepDown));

        Assert.Equal("last_admin", alone.Code);
        Assert.Contains("last admin", alone.Message, StringComparison.Ordinal);
        Assert.True(await portal.WithDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == admin.Id && db.Roles.Any(role => role.Id == r.RoleId && role.Name == PortalRoles.Admin))));

        // A second admin who is locked out does not count: nobody could sign in to the back office.
        Assert.True((await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, new ChangeUserRoleCommand(merchantId, PortalRoles.Admin, Grant: true, "Joins operations")))).Succeeded);
        Assert.True((await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: true, "On leave")))).Succeeded);
        Assert.Equal("last_admin", (await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, stepDown))).Code);

        Assert.True((await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: false, "Back from leave")))).Succeeded);
        var withAnother = await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, stepDown));

        Assert.True(withAnother.Succeeded, withAnother.Message);
        Assert.Equal(2, await portal.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.RoleChanged)));
        Assert.Contains("security.role-changed", await EmailKindsToAsync(DemoSeed.AdminEmail));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_refusal_and_writes_nothing()
    {
        var admin = await AdminAsync();
        var merchantId = await IdOfAsync(DemoSeed.MerchantEmail);
        var auditBefore = await portal.WithDbAsync(db => db.AuditEntries.CountAsync());
        var outboxBefore = await portal.WithDbAsync(db => db.OutboxMessages.CountAsync());

        var refusals = new[]
        {
            await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: true, "   "))),
            await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: true, new string('x', AdminReason.MaxLength + 1)))),
            await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(admin.Id, Lock: true, Reason))),
            await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand(merchantId, Lock: false, Reason))),
            await portal.UseAsync<ResetTwoFactor, CommandResult>(r => r.HandleAsync(admin, new ResetTwoFactorCommand(merchantId, ""))),
            await portal.UseAsync<ResetTwoFactor, CommandResult>(r => r.HandleAsync(admin, new ResetTwoFactorCommand(merchantId, Reason))),
            await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, new ChangeUserRoleCommand(merchantId, "Owner", Grant: true, Reason))),
            await portal.UseAsync<ChangeUserRole, CommandResult>(c => c.HandleAsync(admin, new ChangeUserRoleCommand(merchantId, PortalRoles.Merchant, Grant: true, Reason))),
            await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(admin, new LockUserCommand("no-such-user", Lock: true, Reason))),
        };

        Assert.Equal(
            ["reason_required", "reason_too_long", "own_account", "not_locked", "reason_required", "nothing_to_reset", "unknown_role", "role_unchanged", "not_found"],
            refusals.Select(r => r.Code));
        Assert.All(refusals, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        Assert.Equal(CommandStatus.Forbidden, (await portal.UseAsync<LockUser, CommandResult>(l => l.HandleAsync(Caller.Merchant(merchantId), new LockUserCommand(admin.Id, Lock: true, Reason)))).Status);
        Assert.Equal(auditBefore, await portal.WithDbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(outboxBefore, await portal.WithDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.DoesNotContain(await portal.WithDbAsync(db => db.Users.Select(u => u.LockoutEnd).ToListAsync()), end => end > portal.Clock.GetUtcNow());
    }

    private async Task<Caller> AdminAsync() => Caller.Admin(await IdOfAsync(DemoSeed.AdminEmail));

    private Task<string> IdOfAsync(string email) => portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<AuditEntry> LastEntryAsync(string action) =>
        portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderByDescending(e => e.Id).FirstAsync());

    private Task<List<string>> EmailKindsToAsync(string to) => portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == to).Select(m => m.Kind).ToListAsync());

    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }
}
