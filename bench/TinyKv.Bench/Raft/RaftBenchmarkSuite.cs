using System.Diagnostics;
using Google.Protobuf;
using TinyKv.Raft.Eraftpb;

namespace TinyKv.Bench.Raft;

/// <summary>
/// The raft core's throughput, allocation and commit latency: three RawNodes in one process,
/// in-memory network and storage, 128-byte proposals in batches of 1 and 64 per round.
/// </summary>
/// <remarks>
/// Floors (issue 3): at least 300k committed entries/s with batches of 64, at most 1 KiB
/// allocated per committed entry, for both batch sizes. The payload bytes are shared, so allocations are raft's own
/// (entries, messages, Ready) and not the client's buffers. Latency is counted in rounds.
/// </remarks>
public sealed class RaftBenchmarkSuite : IBenchmarkSuite
{
    public string Name => "raft";

    public string Description => "3 RawNodes in-process: committed entries/s, bytes/entry, propose→commit rounds";

    public Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var metrics = new List<Metric>();
        var seconds = options.Pick(2.0, 8.0);
        foreach (int batch in new[] { 1, 64 })
        {
            // Warm up the JIT (tiered compilation) on a throwaway cluster.
            Measure(batch, seconds / 4, cancellationToken);
            var (rate, bytesPerEntry, p50, p99) = Measure(batch, seconds, cancellationToken);
            metrics.Add(batch == 64
                ? Metric.AtLeast($"committed entries/s (batch {batch})", rate, "entries/s", 300_000)
                : Metric.Reported($"committed entries/s (batch {batch})", rate, "entries/s"));
            metrics.Add(Metric.AtMost($"allocated per entry (batch {batch})", bytesPerEntry, "bytes", 1024));

            metrics.Add(Metric.Reported($"propose→commit p50 (batch {batch})", p50, "rounds"));
            metrics.Add(Metric.Reported($"propose→commit p99 (batch {batch})", p99, "rounds"));
        }

        return Task.FromResult<IReadOnlyList<Metric>>(metrics);
    }

    private static (double Rate, double BytesPerEntry, double P50, double P99) Measure(int batch, double seconds, CancellationToken cancellationToken)
    {
        var cluster = new RaftBenchCluster();
        var payload = RaftBenchCluster.Payload(128);
        var proposals = new ByteString[batch];
        Array.Fill(proposals, payload);
        var latencies = new List<long>(1 << 16);
        var proposedAt = new Dictionary<ulong, long>();
        long round = 0;
        ulong expectedIndex = cluster.Leader.Status().HardState.Commit + 1;
        void OnCommit(Entry e)
        {
            if (proposedAt.Remove(e.Index, out long at))
            {
                latencies.Add(round - at);
            }
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long committedBefore = cluster.Committed;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            round++;
            cluster.Leader.ProposeBatch(proposals);

            // Sample latency on a few entries only, so bookkeeping does not distort allocations.
            if ((round & 63) == 0)
            {
                proposedAt[expectedIndex] = round;
            }

            expectedIndex += (ulong)batch;
            cluster.Round(OnCommit);
            if ((round & 4095) == 0)
            {
                cluster.Compact();
            }
        }

        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long committed = cluster.Committed - committedBefore;
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[(int)Math.Min(latencies.Count - 1, q * latencies.Count)];
        return (committed / sw.Elapsed.TotalSeconds, committed == 0 ? double.NaN : (double)allocated / committed, P(0.50), P(0.99));
    }
}
