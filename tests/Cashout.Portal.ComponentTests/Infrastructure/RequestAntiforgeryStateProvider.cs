using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Http;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>
/// The app's provider reads the token from the current request; a test renderer has none, so this one issues a
/// real token from the real IAntiforgery for a fresh request. AntiforgeryToken then renders exactly the field it
/// renders in the app.
/// </summary>
public sealed class RequestAntiforgeryStateProvider(IAntiforgery antiforgery, IServiceProvider services) : AntiforgeryStateProvider
{
    public override AntiforgeryRequestToken? GetAntiforgeryToken()
    {
        var tokens = antiforgery.GetAndStoreTokens(new DefaultHttpContext { RequestServices = services });
        return new AntiforgeryRequestToken(tokens.RequestToken!, tokens.FormFieldName);
    }
}
