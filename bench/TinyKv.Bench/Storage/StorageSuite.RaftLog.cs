using TinyKv.Storage;

namespace TinyKv.Bench.Storage;

public sealed partial class StorageSuite
{
    private sealed partial class Run
    {
        /// <summary>64 regions, each appending one 100-byte entry per synced round, against the raw group-commit skeleton.</summary>
        public async Task RaftLogAppendAsync(List<Metric> metrics, CancellationToken cancellationToken)
        {
            using var engine = NewRaftLog();
            var payload = BenchData.Value(1);
            var next = new long[Writers];
            var (appends, skeleton) = await Measurement.InterleavedAsync(
                Rounds,
                () => RunWritersAsync(Writers, (region, _) =>
                    engine.WriteAsync(new RaftLogBatch { Sync = true }.Append((ulong)region + 1, [new RaftEntry((ulong)++next[region], 1, payload)]), cancellationToken).AsTask()),
                RawGroupCommitAsync);
            metrics.Add(Metric.HigherIsBetter($"raft-log append, {Writers} regions x 1 entry, durable", appends.OpsPerSecond, "entries/s", "raw group-commit WAL skeleton", skeleton.OpsPerSecond, 0.8));
            metrics.AddRange(appends.Report("raft-log append"));
            metrics.AddRange(skeleton.Report("raft-log skeleton"));
        }
    }
}
