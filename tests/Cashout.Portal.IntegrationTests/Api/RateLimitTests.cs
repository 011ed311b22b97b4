using System.Globalization;

namespace Cashout.Portal.IntegrationTests.Api;

/// <summary>Per-credential rate limiting with ASP.NET Core's token bucket: 429 with Retry-After, per login.</summary>
public sealed class RateLimitTests : ApiTest
{
    public RateLimitTests()
    {
        Portal.WithSetting("Api:RequestsPerSecond", "1").WithSetting("Api:Burst", "3");
    }

    [Fact]
    public async Task Requests_beyond_the_burst_are_429_with_retry_after_and_other_credentials_are_not_affected()
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await FamilyAAsync(HttpMethod.Get, "/cashout/balance"));
        }

        Assert.Equal([200, 200, 200], responses.Take(3).Select(r => (int)r.StatusCode));
        var limited = responses.Skip(3).First(r => (int)r.StatusCode == 429);
        await ExpectAErrorAsync(limited, 429, "Too many requests for these API credentials");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);

        var other = await IssueCredentialsAsync(NewcomerId);
        Assert.Equal(200, (int)(await FamilyAAsync(HttpMethod.Get, "/cashout/balance", login: other.Login, pass: other.Pass)).StatusCode);
    }
}
