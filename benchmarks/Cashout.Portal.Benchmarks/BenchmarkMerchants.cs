using System.Globalization;
using Cashout.Domain.Ledger;
using Cashout.Domain.Monetary;
using Cashout.Domain.PaymentMethods;
using Cashout.Portal.Api.Credentials;
using Cashout.Portal.Identity;
using Cashout.Portal.Ledger;
using Cashout.Portal.Merchants;
using Microsoft.AspNetCore.DataProtection;

namespace Cashout.Portal.Benchmarks;

/// <summary>
/// Merchants who may cash out: email confirmed, business details approved, a Payoneer method linked and funds
/// available. Created with the app's own entities and <see cref="LedgerWriter"/>, all in one transaction.
/// </summary>
public static class BenchmarkMerchants
{
    /// <summary>A merchant's API login and pass (family A's HTTP Basic), when created with them.</summary>
    public static (string Login, string Pass) ApiCredentialsOf(string merchantId) => ("lg_" + merchantId, "pass-" + merchantId);

    /// <param name="withApiCredentials">Each merchant also gets API credentials (<see cref="ApiCredentialsOf"/>), to request cashouts through the portal's API.</param>
    public static async Task<string[]> CreateAsync(BenchmarkPortal portal, string prefix, int count, Money fundsEach, bool withApiCredentials = false)
    {
        var ledger = portal.Get<LedgerWriter>();
        var protector = portal.Get<ApiAuthenticator>().Protector;
        var now = portal.Get<TimeProvider>().GetUtcNow();
        await using var db = portal.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var id = ids[i] = $"{prefix}-{i.ToString("D5", CultureInfo.InvariantCulture)}";
            var email = $"{id}@cashout.test";
            db.Users.Add(new PortalUser
            {
                Id = id,
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
            });
            var profile = new MerchantProfile(id, now);
            // Verified means submitted, then approved: approval refuses a profile with nothing submitted.
            Check(profile.Submit(new BusinessDetails("Benchmark Shop Ltd", "US", "Bea Bench", null, email), now).IsSuccess);
            Check(profile.Approve("benchmark", now).IsSuccess);
            db.MerchantProfiles.Add(profile);
            db.PaymentMethods.Add(PaymentMethod.LinkPayoneer(id, email, payeeId: null, now).Value);
            await ledger.PostAsync(db, LedgerPostings.FundToAvailable(id, fundsEach, "Benchmark funds"), id, cashoutId: null, CancellationToken.None);
            if (withApiCredentials)
            {
                var (login, pass) = ApiCredentialsOf(id);
                db.Add(new ApiCredential(id, login, pass, protector.Protect("sig-" + id), now));
            }
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return ids;
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("Preparing a benchmark merchant's verification was refused.");
        }
    }
}
