using TinyKv.TestKit;
using TinyKv.Transactions.Concurrency;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

public sealed class LatchesTests
{
    [Fact]
    public async Task Overlapping_commands_are_serialized()
    {
        var latches = new Latches();
        var first = await latches.AcquireAsync([K("a")]);
        var second = latches.AcquireAsync([K("b"), K("a")]);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task Disjoint_commands_run_concurrently()
    {
        var latches = new Latches();
        byte[] a = K("a");
        byte[] b = Enumerable.Range(0, 100).Select(i => K($"b{i}")).First(k => latches.SlotOf(k) != latches.SlotOf(a));
        using var first = await latches.AcquireAsync([a]);
        var second = latches.AcquireAsync([b]);
        Assert.True(second.IsCompleted);
        (await second).Dispose();
    }

    [Fact]
    public async Task Keys_sharing_a_slot_serialize_and_one_command_takes_its_slot_once()
    {
        var latches = new Latches(slotCount: 1);
        var first = await latches.AcquireAsync([K("a"), K("b"), K("a")]);
        Assert.Equal([0], first.Slots);
        var second = latches.AcquireAsync([K("c")]);
        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose();
        (await second).Dispose();
        Assert.True(latches.AcquireAsync([K("d")]).IsCompleted);
    }

    [Fact]
    public async Task Waiters_are_granted_first_in_first_out()
    {
        var latches = new Latches();
        var holder = await latches.AcquireAsync([K("a")]);
        var second = latches.AcquireAsync([K("a")]);
        var third = latches.AcquireAsync([K("a")]);
        holder.Dispose();
        var granted = await second;
        Assert.False(third.IsCompleted);
        granted.Dispose();
        (await third).Dispose();
    }

    [Fact]
    public async Task A_cancelled_wait_releases_the_slots_it_already_took()
    {
        var latches = new Latches(slotCount: 1 << 12);
        byte[][] keys = [.. Enumerable.Range(0, 200).Select(i => K($"k{i}")).DistinctBy(k => latches.SlotOf(k)).Take(2).OrderBy(k => latches.SlotOf(k))];
        using var holder = await latches.AcquireAsync([keys[1]]);
        using var cts = new CancellationTokenSource();
        var waiting = latches.AcquireAsync(keys, cts.Token);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        var again = latches.AcquireAsync([keys[0]]);
        Assert.True(again.IsCompleted);
        (await again).Dispose();
    }

    [Fact]
    public async Task Parallel_prewrites_of_one_key_admit_exactly_one_transaction()
    {
        using var db = new Percolator();
        for (int round = 0; round < 20; round++)
        {
            byte[] key = K($"hot{round}");
            var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(i => Task.Run(async () =>
                await db.Store.PrewriteAsync([Mutation.Put(key, [(byte)i])], new TxnProps((ulong)((round * 100) + i), key, 0)))));
            Assert.Single(results, errors => errors.Count == 0);
            Assert.All(results.Where(errors => errors.Count > 0), errors => Assert.IsType<KeyIsLocked>(Assert.Single(errors)));
        }
    }

    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(3).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_overlapping_commands_never_deadlock_and_stay_exclusive(int seed)
    {
        var random = new Random(seed);
        var latches = new Latches(slotCount: 16);
        int[] owners = new int[latches.SlotCount];
        var plans = Enumerable.Range(0, 200)
            .Select(_ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => K($"key{random.Next(40)}")).ToArray())
            .ToList();
        int violations = 0;
        await Task.WhenAll(plans.Select((keys, id) => Task.Run(async () =>
        {
            using var guard = await latches.AcquireAsync(keys);
            foreach (int slot in guard.Slots)
            {
                if (Interlocked.Exchange(ref owners[slot], id + 1) != 0)
                {
                    Interlocked.Increment(ref violations);
                }
            }

            await Task.Yield();
            foreach (int slot in guard.Slots)
            {
                Interlocked.Exchange(ref owners[slot], 0);
            }
        })));
        Assert.True(violations == 0, $"{violations} exclusivity violations; {TestSeed.Replay(seed)}");
    }

    [Fact]
    public async Task A_cancelled_waiter_is_skipped_and_the_next_one_keeps_its_turn()
    {
        var latches = new Latches();
        var holder = await latches.AcquireAsync([K("a")]);
        using var cts = new CancellationTokenSource();
        var cancelled = latches.AcquireAsync([K("a")], cts.Token);
        var second = latches.AcquireAsync([K("a")]);
        var third = latches.AcquireAsync([K("a")]);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        Assert.False(second.IsCompleted);
        holder.Dispose();
        var granted = await second;
        Assert.False(third.IsCompleted);
        granted.Dispose();
        (await third).Dispose();
        Assert.True(latches.AcquireAsync([K("a")]).IsCompleted);
    }

    [Fact]
    public async Task A_slot_whose_waiters_all_gave_up_is_free_after_its_holder_releases_it()
    {
        var latches = new Latches();
        var holder = await latches.AcquireAsync([K("a")]);
        using var cts = new CancellationTokenSource();
        var first = latches.AcquireAsync([K("a")], cts.Token);
        var second = latches.AcquireAsync([K("a")], cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await second);
        holder.Dispose();
        var again = latches.AcquireAsync([K("a")]);
        Assert.True(again.IsCompleted);
        (await again).Dispose();
    }

    [Fact]
    public async Task An_already_cancelled_token_takes_no_slot()
    {
        var latches = new Latches();
        var acquiring = latches.AcquireAsync([K("a")], new CancellationToken(canceled: true));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await acquiring);
        var again = latches.AcquireAsync([K("a")]);
        Assert.True(again.IsCompleted);
        (await again).Dispose();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_commands_with_cancellations_stay_exclusive_and_leave_every_slot_free(int seed)
    {
        var random = new Random(seed);
        var latches = new Latches(slotCount: 8);
        int[] owners = new int[latches.SlotCount];
        var plans = Enumerable.Range(0, 300)
            .Select(_ => (Keys: Enumerable.Range(0, random.Next(1, 4)).Select(_ => K($"key{random.Next(20)}")).ToArray(), Cancel: random.Next(3) == 0, Yields: random.Next(3)))
            .ToList();
        int violations = 0;
        int cancelled = 0;
        await Task.WhenAll(plans.Select((plan, id) => Task.Run(async () =>
        {
            using var cts = new CancellationTokenSource();
            var acquiring = latches.AcquireAsync(plan.Keys, cts.Token);
            if (plan.Cancel)
            {
                await cts.CancelAsync();
            }

            LatchGuard guard;
            try
            {
                guard = await acquiring;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                return;
            }

            using (guard)
            {
                foreach (int slot in guard.Slots)
                {
                    if (Interlocked.Exchange(ref owners[slot], id + 1) != 0)
                    {
                        Interlocked.Increment(ref violations);
                    }
                }

                for (int i = 0; i < plan.Yields; i++)
                {
                    await Task.Yield();
                }

                foreach (int slot in guard.Slots)
                {
                    Interlocked.Exchange(ref owners[slot], 0);
                }
            }
        })));
        Assert.True(violations == 0, $"{violations} exclusivity violations; {TestSeed.Replay(seed)}");
        var all = latches.AcquireAsync(Enumerable.Range(0, 20).Select(i => K($"key{i}")));
        Assert.True(all.IsCompleted, $"a slot stayed held after every command finished ({cancelled} cancelled); {TestSeed.Replay(seed)}");
        (await all).Dispose();
    }
}
