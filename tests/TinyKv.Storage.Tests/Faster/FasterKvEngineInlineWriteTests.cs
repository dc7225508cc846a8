using TinyKv.Storage.Faster;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>
/// Writes an idle engine commits on the caller's thread (inline leader): they complete before
/// returning, reclaim as the writer thread would, and mix with concurrent writers without losing
/// order or data across a reopen.
/// </summary>
public sealed class FasterKvEngineInlineWriteTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private FasterKvOptions Options() => new()
    {
        Directory = _directory.Sub("engine"),
        WalSegmentSize = 1 << 20,
        CheckpointWalBytes = 4 << 20,
        ValueMemorySizeBits = 16,
        ValuePageSizeBits = 12,
    };

    private static byte[] Key(int i) => [(byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i];

    private static byte[] Value(int i) => BitConverter.GetBytes(i);

    [Fact]
    public void A_synced_write_to_an_idle_engine_is_durable_and_visible_when_the_call_returns()
    {
        using var engine = FasterKvEngine.Open(Options());

        for (int i = 0; i < 200; i++)
        {
            var write = engine.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, Key(i % 10), Value(i)));

            Assert.True(write.IsCompletedSuccessfully);
            Assert.Equal(Value(i), engine.Get(ColumnFamily.Default, Key(i % 10)));
        }

        Assert.Equal(200, engine.InlineCommits);
        Assert.True(engine.PendingReclamation <= 1, $"{engine.PendingReclamation} versions wait for reclamation");
    }

    [Fact]
    public async Task Inline_writes_trigger_checkpoints_on_the_writer_thread_and_reopen_restores_them()
    {
        var value = new byte[100];
        using (var engine = FasterKvEngine.Open(Options()))
        {
            for (int i = 0; i < 60_000; i++)
            {
                BitConverter.TryWriteBytes(value, i);
                await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, Key(i % 1000), value));
            }

            Assert.True(engine.WalBytes < 6 << 20, $"WAL of {engine.WalBytes} B: no checkpoint bounded it");
        }

        using var reopened = FasterKvEngine.Open(Options());
        for (int k = 0; k < 1000; k++)
        {
            Assert.Equal(59_000 + k, BitConverter.ToInt32(reopened.Get(ColumnFamily.Default, Key(k))));
        }
    }

    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(3)];

    /// <summary>Each writer owns its keys and awaits its writes in order: the last value of each key wins, also after a reopen.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Inline_and_queued_writes_keep_each_writers_order(int seed)
    {
        var random = new Random(seed);
        int writers = 1 + random.Next(4);
        int[] writes = [.. Enumerable.Range(0, writers).Select(_ => 50 + random.Next(150))];
        using (var engine = FasterKvEngine.Open(Options()))
        {
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var local = new Random(seed * 31 + w);
                for (int i = 0; i < writes[w]; i++)
                {
                    var batch = new WriteBatch { Sync = local.Next(2) == 0 };
                    batch.Put(ColumnFamily.Default, Key((w << 16) | (i % 7)), Value(i));
                    batch.Put(ColumnFamily.Write, Key((w << 16) | (i % 5)), Value(i));
                    await engine.WriteAsync(batch);
                }
            })));
            Check(engine);
        }

        using var reopened = FasterKvEngine.Open(Options());
        Check(reopened);

        void Check(FasterKvEngine engine)
        {
            for (int w = 0; w < writers; w++)
            {
                int last = writes[w] - 1;
                for (int k = 0; k < 7; k++)
                {
                    int expected = last - ((last - k) % 7);
                    Assert.True(Value(expected).AsSpan().SequenceEqual(engine.Get(ColumnFamily.Default, Key((w << 16) | k))), $"{TestSeed.Replay(seed)}, writer {w}, key {k}");
                }
            }
        }
    }
}
