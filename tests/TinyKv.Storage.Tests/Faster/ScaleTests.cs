using System.Security.Cryptography;
using TinyKv.Storage.Faster;
using Xunit.Abstractions;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>
/// Larger than memory: values totalling 4.5× the value store's memory budget stay correct, the
/// managed heap stays near the budget plus the index, and overwrites keep the value log bounded.
/// Runs alone (not beside other test classes) so the heap it measures is its own.
/// </summary>
[Collection(nameof(ScaleTests))]
public sealed class ScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int BudgetBits = 24;
    private const int ValueSize = 4096;
    private const int Keys = 18 * 1024;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static byte[] Key(int i) => System.Text.Encoding.ASCII.GetBytes($"key{i:D8}");

    private static byte[] Value(int i, int round)
    {
        var value = new byte[ValueSize];
        new Random((i * 7) + round).NextBytes(value);
        return value;
    }

    [Fact]
    public async Task Values_four_times_the_memory_budget_stay_correct_in_bounded_memory()
    {
        long budget = 1L << BudgetBits;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var options = new FasterKvOptions
        {
            Directory = _directory.Sub("engine"),
            ValueMemorySizeBits = BudgetBits,
            ValuePageSizeBits = 20,
            WalSegmentSize = 16 << 20,
            CheckpointWalBytes = 512L << 20,
        };
        using var engine = FasterKvEngine.Open(options);
        for (int round = 0; round < 2; round++)
        {
            for (int start = 0; start < Keys; start += 256)
            {
                var batch = new WriteBatch();
                for (int i = start; i < start + 256; i++)
                {
                    batch.Put(ColumnFamily.Default, Key(i), Value(i, round));
                }

                await engine.WriteAsync(batch);
            }
        }

        long total = (long)Keys * ValueSize;
        Assert.True(total >= 4 * budget, $"values total {total} bytes, less than 4× the budget {budget}");
        long heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        var (live, log) = engine.ValueStoreBytes;
        output.WriteLine($"values {total >> 20} MiB, budget {budget >> 20} MiB, managed heap grew {heap >> 20} MiB, working set {Environment.WorkingSet >> 20} MiB, value store live {live >> 20} MiB, log {log >> 20} MiB");
        Assert.True(heap < budget + (24L << 20), $"managed heap grew {heap >> 20} MiB, more than the budget ({budget >> 20} MiB) + 24 MiB for the index and buffers");
        Assert.Equal(total, live);
        Assert.True(log < 3 * total, $"value log spans {log >> 20} MiB for {total >> 20} MiB of live values");

        using var snapshot = engine.Snapshot();
        using var it = snapshot.NewIterator(ColumnFamily.Default);
        int count = 0;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            Assert.True(it.Value.SequenceEqual(Value(count, 1)), $"value of key {count} is wrong");
            count++;
        }

        Assert.Equal(Keys, count);
        var random = new Random(7);
        for (int probe = 0; probe < 500; probe++)
        {
            int i = random.Next(Keys);
            Assert.Equal(SHA256.HashData(Value(i, 1)), SHA256.HashData(snapshot.Get(ColumnFamily.Default, Key(i))!));
        }
    }
}

/// <summary>Scale tests run after the parallel ones, alone.</summary>
[CollectionDefinition(nameof(ScaleTests), DisableParallelization = true)]
public sealed class ScaleTestsCollection;
