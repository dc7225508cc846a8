namespace TinyKv.Storage.CrashChild;

/// <summary>
/// The crash tests' workload: the batch with sequence number n is a pure function of (seed, n),
/// so the parent can rebuild the expected state of any prefix without hearing from the child.
/// </summary>
public static class CrashWorkload
{
    /// <summary>Options of the engine under test: small segments and checkpoints, so kills land in rolls and checkpoints too.</summary>
    public static Faster.FasterKvOptions Options(string directory) => new()
    {
        Directory = directory,
        WalSegmentSize = 128 << 10,
        CheckpointWalBytes = 512 << 10,
        ValueMemorySizeBits = 16,
        ValuePageSizeBits = 12,
    };

    public static WriteBatch Batch(int seed, ulong sequence)
    {
        var random = new Random(unchecked((seed * 1_000_003) + (int)sequence));
        var batch = new WriteBatch { Sync = random.Next(3) == 0 };
        int ops = random.Next(1, 8);
        for (int i = 0; i < ops; i++)
        {
            var cf = ColumnFamilies.All[random.Next(ColumnFamilies.All.Count)];
            byte[] key = [(byte)random.Next(4), (byte)random.Next(64)];
            switch (random.Next(12))
            {
                case < 8:
                    var value = new byte[random.Next(5) == 0 ? random.Next(200, 5000) : random.Next(0, 100)];
                    random.NextBytes(value);
                    batch.Put(cf, key, value);
                    break;
                case < 11:
                    batch.Delete(cf, key);
                    break;
                default:
                    batch.DeleteRange(cf, key, [key[0], (byte)(key[1] + random.Next(1, 8))]);
                    break;
            }
        }

        return batch;
    }
}
