using System.Security.Claims;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Bunit;
using Cashout.Portal.ComponentTests.Infrastructure;
using Cashout.Portal.Components.Layout;
using Cashout.Portal.Identity;

namespace Cashout.Portal.ComponentTests.Components.Layout;

public sealed class UserMenuTests : PortalTestContext
{
    [Theory]
    [InlineData(PortalRoles.Merchant, "Merchant")]
    [InlineData(PortalRoles.Admin, "Administrator")]
    [InlineData("Auditor", "Signed in")]
    public async Task Does_show_the_email_and_the_role_when_the_user_is_signed_in(string role, string shownRole)
    {
        var menu = await RenderAsync(TestUsers.SignedIn("someone@example.test", role));

        Assert.Equal(["someone@example.test", shownRole, "Sign out"], menu.VisibleTexts());
    }

    [Fact]
    public async Task Does_sign_out_with_a_post_to_Account_Logout_carrying_an_antiforgery_token()
    {
        var menu = await RenderAsync(TestUsers.Merchant("shop@example.test"));

        var signOut = Assert.Single(menu.OfType<IElement>().SelectMany(e => e.QuerySelectorAll<IHtmlButtonElement>("button")), b => string.Join(' ', b.VisibleTexts()) == "Sign out");
        Assert.Equal("submit", signOut.Type);
        var form = Assert.IsAssignableFrom<IHtmlFormElement>(signOut.Form);
        Assert.Equal("post", form.Method, ignoreCase: true);
        Assert.Equal("http://localhost/Account/Logout", Markup.Resolve(form.GetAttribute("action")).ToString());
        // The endpoint rejects a POST without the token (ASP.NET Core's default field name).
        var token = Assert.IsAssignableFrom<IHtmlInputElement>(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Equal("hidden", token.Type);
        Assert.False(string.IsNullOrEmpty(token.Value));
    }

    private Task<INodeList> RenderAsync(ClaimsPrincipal user)
    {
        SignIn(user);
        return Task.FromResult(Render<UserMenu>(p => p.Add(m => m.User, user)).Nodes);
    }
}
