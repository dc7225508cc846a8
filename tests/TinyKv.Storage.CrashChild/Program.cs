using TinyKv.Storage.CrashChild;
using TinyKv.Storage.Faster;

// Usage: TinyKv.Storage.CrashChild DIRECTORY SEED
// Opens (recovering) the engine, prints "START n" with the recovered sequence, then writes the
// workload's batches n+1, n+2, ... forever, printing "ACK n" once synced batch n has returned.
// The parent kills it with SIGKILL; there is no clean exit.
if (args.Length != 2 || !int.TryParse(args[1], out int seed))
{
    Console.Error.WriteLine("usage: TinyKv.Storage.CrashChild DIRECTORY SEED");
    return 2;
}

using var engine = FasterKvEngine.Open(CrashWorkload.Options(args[0]));
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
ulong sequence = engine.LastSequence;
await output.WriteLineAsync($"START {sequence}");
while (true)
{
    var batch = CrashWorkload.Batch(seed, ++sequence);
    await engine.WriteAsync(batch);
    if (batch.Sync)
    {
        await output.WriteLineAsync($"ACK {sequence}");
    }
}
