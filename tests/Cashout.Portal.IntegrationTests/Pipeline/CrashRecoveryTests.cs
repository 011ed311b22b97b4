using System.Diagnostics;
using Cashout.Domain.Cashouts;
using Cashout.Portal.Email;
using Cashout.Portal.IntegrationTests.Infrastructure;
using Cashout.Portal.Providers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Cashout.Portal.IntegrationTests.Pipeline;

/// <summary>
/// DESIGN.md section 7, faults: the portal process is killed (SIGKILL) with hundreds of cashouts in the pipeline and
/// started again. Every cashout must reach its final state, the provider must have paid each at most once, every
/// stage email must go out, and the books must balance.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : PipelineTest
{
    private const int Cashouts = 200;

    /// <summary>
    /// How long each stage may take before the test gives up (each wait ends as soon as its condition holds). On a
    /// quiet two-core machine the whole test takes about a minute; CI runs it beside the browser tests, where it
    /// has been seen to take three times as long.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Does_finish_every_cashout_once_with_every_email_when_the_process_is_killed_mid_pipeline()
    {
        var clock = Stopwatch.StartNew();
        var expected = new Dictionary<long, (string Email, CashoutStatus Final)>();
        for (var i = 0; i < Cashouts; i++)
        {
            // A mix of the sandbox's triggers: rejected (808), returned, provider down at first, and plain payouts.
            var (payee, amount, final) = (i % 10) switch
            {
                3 => ("payee@example.com", 10_013L, CashoutStatus.Failed),
                5 => ("payee+return@example.com", 10_000L + (i * 100), CashoutStatus.Returned),
                7 => ("payee+down@example.com", 10_000L + (i * 100), CashoutStatus.Completed),
                9 => ("payee+slow@example.com", 10_000L + (i * 100), CashoutStatus.Completed),
                _ => ("payee@example.com", 10_000L + (i * 100), CashoutStatus.Completed),
            };
            var email = $"crash-{i}@cashout.test";
            var merchantId = await CreateFundedMerchantAsync(email, 100_000, payee);
            expected[(await RequestAsync(amount, merchantId: merchantId)).Id] = (email, final);
        }

        output.WriteLine($"{Cashouts} merchants and cashouts prepared in {clock.Elapsed.TotalSeconds:0.0} s");
        var settings = new Dictionary<string, string>
        {
            // Payoneer's two days take about three seconds, so the batch is mid-flight when the process dies.
            ["Sandbox:TimeScale"] = "60000",
            ["Sandbox:SlowResponseMilliseconds"] = "1500",
        };

        // A +slow payee's payout is recorded by the provider seconds before its answer comes back: the process is
        // killed in that window, after 40 or more cashouts left Pending, so the restart must not pay it again.
        var first = await StartPortalAsync(settings);
        await WaitForAsync(async () => await CountAsync(c => c.Status != CashoutStatus.Pending) >= 40 && await PaidButUnacknowledgedAsync() > 0,
            "the provider has paid a cashout the portal has not heard back about", first, Patience);
        await first.KillAsync();
        var unacknowledged = await PaidButUnacknowledgedAsync();
        var atKill = await StatusCountsAsync();
        output.WriteLine($"Killed at {clock.Elapsed.TotalSeconds:0.0} s: {Describe(atKill)}; {unacknowledged} paid but unacknowledged");
        Assert.True(atKill.GetValueOrDefault(CashoutStatus.Pending) + atKill.GetValueOrDefault(CashoutStatus.Processing) > 0, "The process must die with cashouts still in the pipeline.");

        await using var second = await StartPortalAsync(settings);
        // Final means where its trigger leads: a +return payout is Completed first and Returned a moment later.
        await WaitForAsync(
            async () =>
            {
                var statuses = await Portal.WithDbAsync(db => db.Cashouts.ToDictionaryAsync(c => c.Id, c => c.Status));
                return expected.Count(e => statuses[e.Key] == e.Value.Final);
            },
            "every cashout is final", second, predicate: n => n == Cashouts, timeout: Patience);
        output.WriteLine($"All final at {clock.Elapsed.TotalSeconds:0.0} s");
        await WaitForAsync(AllEmailsSentAsync, "every email is sent", second, timeout: Patience);
        output.WriteLine($"All emailed at {clock.Elapsed.TotalSeconds:0.0} s: {Describe(await StatusCountsAsync())}");

        // Each cashout ended where its trigger says.
        var finals = await Portal.WithDbAsync(db => db.Cashouts.ToDictionaryAsync(c => c.Id, c => c.Status));
        Assert.All(expected, e => Assert.Equal(e.Value.Final, finals[e.Key]));

        // The provider paid each accepted cashout exactly once, and none of the rejected ones.
        var payoutsPerReference = await SandboxAsync(db => db.Payouts.GroupBy(p => p.Reference).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.DoesNotContain(payoutsPerReference, p => p.Count > 1);
        var paid = payoutsPerReference.Select(p => p.Key).ToHashSet();
        Assert.Equal(expected.Where(e => e.Value.Final != CashoutStatus.Failed).Select(e => PayoutReference.For(e.Key)).ToHashSet(), paid);
        Assert.Equal(paid.Count, await SandboxAsync(db => db.Payouts.Select(p => p.IdempotencyKey).Distinct().CountAsync()));
        var replays = await SandboxAsync(db => db.Submissions.CountAsync(s => s.Outcome == "replayed"));
        output.WriteLine($"Sandbox: {paid.Count} payouts, {replays} replayed submissions (answered with the existing payout)");
        // Those unacknowledged at the kill were learned again (by a replayed submission or the provider's webhook), not paid again.
        Assert.Equal(0, await PaidButUnacknowledgedAsync());

        // Every stage email of every cashout was queued, and sent (at least once: a send cut by the kill is repeated).
        foreach (var (id, (email, final)) in expected)
        {
            Assert.Equal(StagesTo(final), await StageEmailKindsAsync(email, id));
        }

        var outbox = await Portal.WithDbAsync(db => db.OutboxMessages.CountAsync());
        Assert.True(outbox >= Cashouts * 3);
        Assert.True((await Smtp.WaitForMessagesAsync(outbox, TimeSpan.FromSeconds(30))).Count >= outbox);
        var delivery = await Portal.WithDbAsync(db => db.OutboxMessages.Select(m => new { m.Attempts, m.CreatedAt, m.SentAt }).ToListAsync());
        output.WriteLine($"Done in {clock.Elapsed.TotalSeconds:0.0} s; {outbox} emails, {delivery.Count(m => m.Attempts > 1)} needed more than one attempt, " +
            $"longest wait in the outbox {delivery.Max(m => (m.SentAt!.Value - m.CreatedAt).TotalSeconds):0.0} s");
    }

    /// <summary>Payouts the sandbox recorded whose cashout the portal has not seen acknowledged yet.</summary>
    private async Task<int> PaidButUnacknowledgedAsync()
    {
        var paid = await SandboxAsync(db => db.Payouts.Select(p => p.Reference).ToListAsync());
        var acknowledged = await Portal.WithDbAsync(db => db.ProviderSubmissions.Where(s => s.AcceptedAt != null).Select(s => s.IdempotencyKey).ToListAsync());
        return paid.Except(acknowledged).Count();
    }

    private static string[] StagesTo(CashoutStatus final) => final switch
    {
        CashoutStatus.Failed => ["cashout.requested", "cashout.processing", "cashout.failed"],
        CashoutStatus.Returned => ["cashout.requested", "cashout.processing", "cashout.completed", "cashout.returned"],
        _ => ["cashout.requested", "cashout.processing", "cashout.completed"],
    };

    private Task<int> CountAsync(System.Linq.Expressions.Expression<Func<MerchantCashout, bool>> filter) =>
        Portal.WithDbAsync(db => db.Cashouts.CountAsync(filter));

    private Task<Dictionary<CashoutStatus, int>> StatusCountsAsync() =>
        Portal.WithDbAsync(db => db.Cashouts.GroupBy(c => c.Status).ToDictionaryAsync(g => g.Key, g => g.Count()));

    private static string Describe(Dictionary<CashoutStatus, int> counts) => string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));

    private static Task WaitForAsync(Func<Task<int>> count, string what, PortalProcess portal, Func<int, bool> predicate, TimeSpan? timeout = null) =>
        WaitForAsync(async () => predicate(await count()), what, portal, timeout);
}
