using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>The hand-written OpenAPI document is served and describes every API route the app maps, no more, no less.</summary>
public sealed class OpenApiDocumentTests : ApiTest
{
    private static readonly string[] ApiPrefixes = ["/cashout", "/balanceAccounts", "/transferRoutes", "/cashouts", "/v3/"];

    [Fact]
    public async Task Describes_exactly_the_mapped_api_operations()
    {
        var document = JsonNode.Parse(await Http.GetStringAsync("/openapi/cashout-apis.json"))!;
        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key}"))
            .Order().ToList();

        var mapped = Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ApiPrefixes.Any(p => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            // Pages (/cashouts, /cashouts/{id}) and the signed-in CSV download share the prefix but are not machine APIs.
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null
                        && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Order().ToList();

        Assert.Equal(mapped, documented);
    }
}
