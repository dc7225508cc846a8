using TinyKv.Storage.Faster;
using TinyKv.Storage.RaftLog;

namespace TinyKv.Bench.Storage;

/// <summary>
/// The `storage` suite (issue 2): the FASTER KV engine and the raft-log engine against SQLite (WAL
/// mode) and raw fdatasync loops measured in the same run, on 16-byte keys and 100-byte values.
/// </summary>
public sealed partial class StorageSuite : IBenchmarkSuite
{
    public string Name => "storage";

    public string Description => "KV and raft-log engines vs SQLite and raw fdatasync baselines";

    public async Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var metrics = new List<Metric>();
        var run = new Run(options);
        await run.ReadsAndWritesAsync(metrics, cancellationToken);
        await run.DurablePutsAsync(metrics, cancellationToken);
        await run.RaftLogAppendAsync(metrics, cancellationToken);
        await run.RecoveryAsync(metrics, cancellationToken);
        run.FasterLogComparison(metrics);
        return metrics;
    }

    /// <summary>Knobs of one run and fresh directories under the work directory.</summary>
    private sealed partial class Run(BenchOptions options)
    {
        private int _directories;

        private int Keys => options.Pick(50_000, 200_000);

        /// <summary>Engine and baseline alternate this many times; each side runs <see cref="RoundDuration"/> per round.</summary>
        private const int Rounds = 3;

        private TimeSpan RoundDuration => options.Pick(TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(3));

        private string NewDirectory(string name)
        {
            string path = Path.Combine(options.WorkDirectory, $"{++_directories:D2}-{name}");
            Directory.CreateDirectory(path);
            return path;
        }

        private FasterKvEngine NewEngine() => FasterKvEngine.Open(new FasterKvOptions { Directory = NewDirectory("kv") });

        private SegmentRaftLogEngine NewRaftLog() => SegmentRaftLogEngine.Open(new RaftLogEngineOptions { Directory = NewDirectory("raft") });
    }
}
