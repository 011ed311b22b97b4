using System.Net;
using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Cashout.Portal.Audit;
using Cashout.Portal.Common;
using Cashout.Portal.Data;
using Cashout.Portal.Identity;
using Cashout.Portal.Identity.Passkeys;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Identity;

/// <summary>
/// What the portal does around Identity's passkeys: every change is audited and emailed, adding and removing need a
/// recent step-up, an admin keeps its last second factor, a passkey session counts as the Admin policy's second
/// factor only while a passkey is left, and a passkey the portal cannot verify signs no one in.
/// </summary>
public sealed class PasskeyTests : IAsyncLifetime
{
    private readonly PortalFactory portal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Adding_renaming_and_removing_a_passkey_are_each_audited_and_emailed()
    {
        var merchant = await SteppedUpAsync(DemoSeed.MerchantEmail, isAdmin: false);
        var passkey = TestPasskeys.Make("ignored", portal.Clock.GetUtcNow());

        var added = await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(merchant, new AddPasskeyCommand(merchant.Id, passkey, " Chrome on Linux ")));
        var id = Assert.Single(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(merchant))).Id;
        var renamed = await portal.UseAsync<RenamePasskey, CommandResult>(r => r.HandleAsync(merchant, new RenamePasskeyCommand(id, "Work laptop")));
        var listed = Assert.Single(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(merchant)));
        var removed = await portal.UseAsync<RemovePasskey, CommandResult>(r => r.HandleAsync(merchant, id));

        Assert.All([added, renamed, removed], r => Assert.True(r.Succeeded, r.Message));
        Assert.Equal("Work laptop", listed.Name);
        Assert.Empty(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(merchant)));
        var entries = await portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("passkey.")).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.PasskeyAdded, AuditActions.PasskeyRenamed, AuditActions.PasskeyRemoved], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AuditCategory.SecurityEvent, merchant.Id, DemoSeed.MerchantEmail, "user", merchant.Id), (e.Category, e.ActorId, e.ActorName, e.SubjectType, e.SubjectId)));
        Assert.Equal(["Added the passkey \"Chrome on Linux\"", "Renamed the passkey \"Chrome on Linux\" to \"Work laptop\"", "Removed the passkey \"Work laptop\""], entries.Select(e => e.Summary));
        var emails = await portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == DemoSeed.MerchantEmail && m.Kind.StartsWith("security.passkey")).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync());
        Assert.Equal(["security.passkey-added", "security.passkey-renamed", "security.passkey-removed"], emails);
    }

    [Fact]
    public async Task Passkey_changes_that_are_not_allowed_are_refused_with_a_reason_and_write_nothing()
    {
        var merchant = await SteppedUpAsync(DemoSeed.MerchantEmail, isAdmin: false);
        var stale = merchant with { SteppedUpAt = portal.Clock.GetUtcNow().AddHours(-1) };
        var admin = await SteppedUpAsync(DemoSeed.AdminEmail, isAdmin: true);
        Assert.True((await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(merchant, new AddPasskeyCommand(merchant.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), "Phone")))).Succeeded);
        var id = Assert.Single(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(merchant))).Id;
        var auditBefore = await portal.WithDbAsync(db => db.AuditEntries.CountAsync());
        var outboxBefore = await portal.WithDbAsync(db => db.OutboxMessages.CountAsync());

        var refusals = new[]
        {
            await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(stale, new AddPasskeyCommand(merchant.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), "Laptop"))),
            await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(merchant, new AddPasskeyCommand(admin.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), "Laptop"))),
            await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(merchant, new AddPasskeyCommand(merchant.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), new string('n', PasskeyNames.MaxLength + 1)))),
            await portal.UseAsync<RenamePasskey, CommandResult>(r => r.HandleAsync(merchant, new RenamePasskeyCommand(id, "  "))),
            await portal.UseAsync<RemovePasskey, CommandResult>(r => r.HandleAsync(stale, id)),
            // Another person's passkey is not found, whoever asks.
            await portal.UseAsync<RemovePasskey, CommandResult>(r => r.HandleAsync(admin, id)),
            await portal.UseAsync<RenamePasskey, CommandResult>(r => r.HandleAsync(admin, new RenamePasskeyCommand(id, "Mine now"))),
        };

        Assert.Equal([StepUpPolicy.RequiredCode, "wrong_account", "invalid_name", "invalid_name", StepUpPolicy.RequiredCode, "not_found", "not_found"], refusals.Select(r => r.Code));
        Assert.Equal("Phone", Assert.Single(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(merchant))).Name);
        Assert.Equal(auditBefore, await portal.WithDbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(outboxBefore, await portal.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Passkey_session_satisfies_the_admin_second_factor_only_while_the_admin_has_a_passkey_and_the_last_one_stays()
    {
        var admin = await SteppedUpAsync(DemoSeed.AdminEmail, isAdmin: true);
        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, false)));
        var withPasskey = Principal(admin.Id, PasskeySignIn.Claims);
        var withPassword = Principal(admin.Id, [new Claim("amr", "pwd")]);

        Assert.False(await IsSecondFactorAsync(withPasskey));
        Assert.True((await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(admin, new AddPasskeyCommand(admin.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), "Security key")))).Succeeded);
        Assert.True(await IsSecondFactorAsync(withPasskey));
        Assert.False(await IsSecondFactorAsync(withPassword));

        var id = Assert.Single(await portal.UseAsync<ListPasskeys, IReadOnlyList<PasskeyRow>>(l => l.HandleAsync(admin))).Id;
        var removed = await portal.UseAsync<RemovePasskey, CommandResult>(r => r.HandleAsync(admin, id));

        Assert.Equal("last_second_factor", removed.Code);
        Assert.True(await IsSecondFactorAsync(withPasskey));
    }

    [Fact]
    public async Task Passkey_the_portal_cannot_verify_signs_no_one_in_and_the_attempt_is_audited()
    {
        var client = portal.CreateBrowserlessClient();

        var response = await HtmlForms.SubmitAsync(client, "/Account/Login", "passkey-login", new Dictionary<string, string>
        {
            ["Passkey.CredentialJson"] = """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}""",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That passkey does not belong to an account here", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        var entry = await portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal((AuditActions.SignInFailed, AuditActorKind.Anonymous), (entry.Action, entry.ActorKind));
        Assert.Contains("passkey_not_accepted", entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ceremony_options_need_the_pages_antiforgery_token_ask_for_user_verification_and_creating_needs_a_signed_in_person()
    {
        var client = portal.CreateBrowserlessClient();
        var login = await new HtmlParser().ParseDocumentAsync(await client.GetStringAsync("/Account/Login"));
        var token = login.QuerySelector("form[aria-label='Sign in with a passkey'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var withoutToken = await client.PostAsync("/Account/PasskeyRequestOptions", content: null);
        var withToken = await client.SendAsync(WithToken("/Account/PasskeyRequestOptions", token));
        var createAnonymously = await client.SendAsync(WithToken("/Account/PasskeyCreationOptions", token));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        var options = JsonDocument.Parse(await withToken.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("localhost", "required"), (options.GetProperty("rpId").GetString(), options.GetProperty("userVerification").GetString()));
        Assert.False(string.IsNullOrEmpty(options.GetProperty("challenge").GetString()));
        Assert.Equal(HttpStatusCode.Redirect, createAnonymously.StatusCode);
        Assert.StartsWith("/Account/Login", createAnonymously.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithToken(string path, string token) =>
        new(HttpMethod.Post, path) { Headers = { { "RequestVerificationToken", token } } };

    [Fact]
    public async Task Step_up_offers_a_passkey_to_a_person_who_has_one_and_a_passkey_it_cannot_verify_counts_as_a_wrong_answer()
    {
        var client = await SignIn.AsAsync(portal, DemoSeed.MerchantEmail, DemoSeed.Password);
        const string stepUp = "/Account/StepUp?returnUrl=%2Fpayment-methods";
        Assert.DoesNotContain("Confirm with a passkey", await (await client.GetAsync(stepUp)).TextAsync(), StringComparison.Ordinal);
        var merchant = await SteppedUpAsync(DemoSeed.MerchantEmail, isAdmin: false);
        Assert.True((await portal.UseAsync<AddPasskey, CommandResult>(a => a.HandleAsync(merchant, new AddPasskeyCommand(merchant.Id, TestPasskeys.Make("", portal.Clock.GetUtcNow()), "Phone")))).Succeeded);

        var response = await HtmlForms.SubmitAsync(client, stepUp, "passkey-step-up", new Dictionary<string, string>
        {
            ["Passkey.CredentialJson"] = """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}""",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That was not correct", await response.TextAsync(), StringComparison.Ordinal);
        var entry = await portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.StepUpFailed).SingleAsync());
        Assert.Equal("passkey", JsonDocument.Parse(entry.After!).RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Browser_that_cannot_use_a_passkey_is_told_why_on_the_login_page()
    {
        var response = await HtmlForms.SubmitAsync(portal.CreateBrowserlessClient(), "/Account/Login", "passkey-login", new Dictionary<string, string>
        {
            ["Passkey.Error"] = "No passkey was used: the request was cancelled or timed out.",
        });

        Assert.Contains("No passkey was used: the request was cancelled or timed out.", await response.TextAsync(), StringComparison.Ordinal);
    }

    private async Task<Caller> SteppedUpAsync(string email, bool isAdmin)
    {
        var id = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return (isAdmin ? Caller.Admin(id) : Caller.Merchant(id)) with { SteppedUpAt = portal.Clock.GetUtcNow() };
    }

    private static ClaimsPrincipal Principal(string userId, IEnumerable<Claim> claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Role, PortalRoles.Admin), .. claims], "Identity.Application"));

    private Task<bool> IsSecondFactorAsync(ClaimsPrincipal principal) => portal.Services.GetRequiredService<TwoFactorEnabledHandler>().IsEnabledAsync(principal);
}
