using TinyKv.Scheduler.Ids;

namespace TinyKv.Scheduler.Tests;

/// <summary>Id allocator and TSO: monotonic, never backwards across restarts, windowed saves.</summary>
public sealed class AllocatorTests
{
    [Fact]
    public void Ids_increase_and_survive_restart_with_one_save_per_window()
    {
        var storage = new MemoryHighWaterMarkStore();
        var ids = new IdAllocator(storage, windowSize: 100);
        var first = Enumerable.Range(0, 250).Select(_ => ids.Alloc()).ToList();
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (ulong)i), first);
        Assert.Equal(3, storage.SaveCount);

        var restarted = new IdAllocator(storage, windowSize: 100);
        Assert.True(restarted.Alloc() > first[^1]);
    }

    [Fact]
    public void Timestamps_strictly_increase_while_the_clock_stands_still_or_goes_back()
    {
        var clock = new FakeTimeProvider();
        var tso = new TimestampOracle(new MemoryHighWaterMarkStore(), clock);
        var last = tso.GetTimestamp();
        for (int i = 0; i < 600_000; i++)
        {
            if (i == 300_000)
            {
                clock.Advance(TimeSpan.FromSeconds(-5));
            }

            var next = tso.GetTimestamp();
            Assert.True(next.Value > last.Value, $"{next} after {last}");
            last = next;
        }

        Assert.True(last.Physical > clock.GetUtcNow().ToUnixTimeMilliseconds(), "logical overflow borrows physical milliseconds");
    }

    [Fact]
    public void Timestamp_follows_the_clock_and_composes_physical_and_logical()
    {
        var clock = new FakeTimeProvider();
        var tso = new TimestampOracle(new MemoryHighWaterMarkStore(), clock);
        var a = tso.GetTimestamp();
        var b = tso.GetTimestamp();
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), a.Physical);
        Assert.Equal((0L, 1L), (a.Logical, b.Logical));
        Assert.Equal(((ulong)a.Physical << 18) | 1, b.Value);
        Assert.Equal(b, Timestamp.FromValue(b.Value));
        clock.Advance(TimeSpan.FromMilliseconds(7));
        Assert.Equal((a.Physical + 7, 0L), (tso.GetTimestamp().Physical, tso.GetTimestamp().Logical - 1));
    }

    [Fact]
    public void Batch_reserves_consecutive_timestamps()
    {
        var tso = new TimestampOracle(new MemoryHighWaterMarkStore(), new FakeTimeProvider());
        var first = tso.GetTimestamp();
        var batchLast = tso.GetTimestamp(count: 10);
        Assert.Equal(first.Value + 10, batchLast.Value);
        Assert.Equal(batchLast.Value + 1, tso.GetTimestamp().Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => tso.GetTimestamp(0));
    }

    [Fact]
    public void Timestamps_never_go_back_across_restart_even_if_the_clock_does()
    {
        var storage = new MemoryHighWaterMarkStore();
        var clock = new FakeTimeProvider();
        var tso = new TimestampOracle(storage, clock, TimeSpan.FromSeconds(3));
        Timestamp last = default;
        for (int i = 0; i < 1000; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            last = tso.GetTimestamp();
        }

        Assert.True(storage.SaveCount <= 2, $"saves {storage.SaveCount}: windows should amortise them");

        clock.Advance(TimeSpan.FromMinutes(-10));
        var restarted = new TimestampOracle(storage, clock, TimeSpan.FromSeconds(3));
        var first = restarted.GetTimestamp();
        Assert.True(first.Value > last.Value, $"after restart {first} must exceed {last}");
    }

    [Fact]
    public void Concurrent_callers_get_distinct_increasing_timestamps()
    {
        var tso = new TimestampOracle(new MemoryHighWaterMarkStore(), new FakeTimeProvider());
        var perThread = new ulong[4][];
        Parallel.For(0, 4, t =>
        {
            var mine = new ulong[50_000];
            for (int i = 0; i < mine.Length; i++)
            {
                mine[i] = tso.GetTimestamp().Value;
            }

            perThread[t] = mine;
        });

        foreach (var mine in perThread)
        {
            Assert.True(mine.Zip(mine.Skip(1)).All(p => p.First < p.Second));
        }

        Assert.Equal(200_000, perThread.SelectMany(x => x).Distinct().Count());
    }

    [Fact]
    public void Bad_window_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdAllocator(new MemoryHighWaterMarkStore(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimestampOracle(new MemoryHighWaterMarkStore(), new FakeTimeProvider(), TimeSpan.Zero));
    }
}
