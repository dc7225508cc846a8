using Microsoft.Extensions.Logging;
using TinyKv.Storage.Faster;
using TinyKv.Storage.Tests.Conformance;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>What only a durable engine promises: reopen, torn and corrupt tails, checkpoints, bounded reclamation.</summary>
public sealed class FasterKvEngineDurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private FasterKvOptions Options(ILogger? logger = null, long segment = 1 << 20, long checkpoint = 8 << 20) => new()
    {
        Directory = _directory.Sub("engine"),
        WalSegmentSize = segment,
        CheckpointWalBytes = checkpoint,
        ValueMemorySizeBits = 16,
        ValuePageSizeBits = 12,
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
    };

    private static byte[] Value(int i, int length)
    {
        var v = new byte[length];
        new Random(i).NextBytes(v);
        return v;
    }

    private static byte[] Key(int i) => BitConverter.GetBytes(i).Reverse().ToArray();

    private static async Task WriteManyAsync(FasterKvEngine engine, int from, int count, int valueLength, bool sync)
    {
        for (int i = from; i < from + count; i++)
        {
            await engine.WriteAsync(new WriteBatch { Sync = sync }.Put(ColumnFamily.Default, Key(i % 500), Value(i, valueLength)));
        }
    }

    [Fact]
    public async Task Reopen_restores_every_batch_inline_and_spilled_values_alike()
    {
        using (var engine = FasterKvEngine.Open(Options()))
        {
            await WriteManyAsync(engine, 0, 300, 40, sync: false);
            await WriteManyAsync(engine, 300, 300, 3000, sync: true);
            await engine.WriteAsync(new WriteBatch().DeleteRange(ColumnFamily.Default, Key(0), Key(10)).Put(ColumnFamily.Meta, [1], []));
        }

        using var reopened = FasterKvEngine.Open(Options());
        using var snapshot = reopened.Snapshot();
        Assert.Equal(601UL, snapshot.Sequence);
        Assert.Null(snapshot.Get(ColumnFamily.Default, Key(5)));
        Assert.Equal(Value(510, 3000), snapshot.Get(ColumnFamily.Default, Key(10)));
        Assert.Equal(Value(599, 3000), snapshot.Get(ColumnFamily.Default, Key(99)));
        Assert.Equal(Array.Empty<byte>(), snapshot.Get(ColumnFamily.Meta, [1]));
    }

    public static TheoryData<string> TailDamage => ["truncate mid-record", "flip a payload byte", "garble a length"];

    [Theory]
    [MemberData(nameof(TailDamage))]
    public async Task A_damaged_tail_recovers_the_valid_prefix_and_says_so(string damage)
    {
        using (var engine = FasterKvEngine.Open(Options()))
        {
            await WriteManyAsync(engine, 0, 10, 50, sync: true);
        }

        string segment = Directory.GetFiles(Path.Combine(_directory.Sub("engine"), "wal")).Single();
        long end = ValidEnd(segment);
        using (var file = File.OpenHandle(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            switch (damage)
            {
                case "truncate mid-record":
                    RandomAccess.SetLength(file, end - 20);
                    break;
                case "flip a payload byte":
                    RandomAccess.Write(file, [0xAB], end - 5);
                    break;
                default:
                    RandomAccess.Write(file, [0xFF, 0xFF, 0xFF, 0x7F], end - LastRecordLength(segment));
                    break;
            }
        }

        var logger = new ListLogger();
        using (var reopened = FasterKvEngine.Open(Options(logger)))
        {
            using var snapshot = reopened.Snapshot();
            Assert.Equal(9UL, snapshot.Sequence);
            Assert.Equal(Value(8, 50), snapshot.Get(ColumnFamily.Default, Key(8)));
            Assert.Null(snapshot.Get(ColumnFamily.Default, Key(9)));
            Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("discarded", StringComparison.Ordinal));
            await reopened.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, Key(9), [9]));
        }

        using var again = FasterKvEngine.Open(Options());
        using var latest = again.Snapshot();
        Assert.Equal(10UL, latest.Sequence);
        Assert.Equal([9], latest.Get(ColumnFamily.Default, Key(9)));
    }

    [Fact]
    public async Task Checkpoints_bound_the_wal_under_overwrites_and_survive_reopen()
    {
        var options = Options(segment: 64 << 10, checkpoint: 256 << 10);
        using (var engine = FasterKvEngine.Open(options))
        {
            for (int round = 0; round < 20; round++)
            {
                await WriteManyAsync(engine, round * 100, 100, 1000, sync: round % 2 == 0);
                Assert.InRange(engine.WalBytes, 0, 1 << 20);
            }

            await AfterHousekeepingAsync(engine);
            Assert.Equal(0, engine.PendingReclamation);
        }

        using var reopened = FasterKvEngine.Open(options);
        using var snapshot = reopened.Snapshot();
        Assert.Equal(2002UL, snapshot.Sequence); // 2000 writes and the two empty housekeeping barriers
        Assert.Equal(Value(1999, 1000), snapshot.Get(ColumnFamily.Default, Key(1999 % 500)));
        Assert.Equal(Value(1600, 1000), snapshot.Get(ColumnFamily.Default, Key(100)));
    }

    [Fact]
    public async Task A_live_snapshot_pins_old_versions_until_disposed()
    {
        using var engine = FasterKvEngine.Open(Options());
        await WriteManyAsync(engine, 0, 10, 500, sync: false);
        var pinned = engine.Snapshot();
        await WriteManyAsync(engine, 10, 10, 500, sync: false);
        await engine.WriteAsync(new WriteBatch().DeleteRange(ColumnFamily.Default, [], []));

        Assert.True(engine.PendingReclamation > 0);
        Assert.Equal(Value(3, 500), pinned.Get(ColumnFamily.Default, Key(3)));
        pinned.Dispose();
        await AfterHousekeepingAsync(engine);

        Assert.Equal(0, engine.PendingReclamation);
        using var latest = engine.Snapshot();
        using var it = latest.NewIterator(ColumnFamily.Default);
        it.SeekToFirst();
        Assert.False(it.Valid);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => FasterKvEngine.Open(new FasterKvOptions { Directory = _directory.Sub("x"), WalSegmentSize = 10 }));
        Assert.Equal("WalSegmentSize", ex.ParamName);
        Assert.Throws<ArgumentException>(() => FasterKvEngine.Open(new FasterKvOptions { Directory = "" }));
    }

    [Fact]
    public void Suite_options_are_valid() => FasterKvEngineConformanceTests.SmallOptions(_directory.Sub("y")).Validate();

    /// <summary>
    /// Returns once the housekeeping (reclamation) of every group committed so far has run. A
    /// group's writers are released before its housekeeping, but the writer thread runs that
    /// housekeeping before it commits the next group; two empty writes in sequence therefore
    /// leave at least one full housekeeping pass behind them, one that ran after the caller's
    /// last change (such as disposing a snapshot).
    /// </summary>
    private static async Task AfterHousekeepingAsync(FasterKvEngine engine)
    {
        await engine.WriteAsync(new WriteBatch());
        await engine.WriteAsync(new WriteBatch());
    }

    /// <summary>Offset just past the last record of a segment written by one engine session.</summary>
    private static long ValidEnd(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        long offset = 16;
        while (offset + 8 <= bytes.Length && BitConverter.ToUInt32(bytes, (int)offset) is var length and > 0)
        {
            offset += 8 + length;
        }

        return offset;
    }

    private static long LastRecordLength(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        long offset = 16;
        long last = 0;
        while (offset + 8 <= bytes.Length && BitConverter.ToUInt32(bytes, (int)offset) is var length and > 0)
        {
            last = 8 + length;
            offset += last;
        }

        return last;
    }
}
