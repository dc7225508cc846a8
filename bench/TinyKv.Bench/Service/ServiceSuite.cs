using System.Diagnostics;
using TinyKv.Bench.Storage;
using TinyKv.Client;
using TinyKv.Storage;
using TinyKv.Storage.Faster;

namespace TinyKv.Bench.Service;

/// <summary>
/// The standalone service end to end: a silo child process and the .NET client over TCP, 1 and 64
/// requests in flight, durable raw put and raw get. Baseline in the same run: the FASTER engine
/// called directly in this process with the same concurrency (synced single-put batches, snapshot gets),
/// alternating with the service round by round.
/// </summary>
public sealed class ServiceSuite : IBenchmarkSuite
{
    private const int Keys = 10_000;
    private const int ValueSize = 100;

    /// <summary>Service and engine alternate this many times per phase, so a load change on the shared machine hits both alike.</summary>
    private const int Rounds = 3;

    public string Name => "service";

    public string Description => "silo child process + .NET client: durable put and get, 1 and 64 in flight, vs the engine in process";

    public async Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var round = options.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var metrics = new List<Metric>();
        using var engine = FasterKvEngine.Open(new FasterKvOptions { Directory = Path.Combine(options.WorkDirectory, "engine") });
        await FillAsync((k, v) => engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, k, v), cancellationToken).AsTask());
        await using var silo = await SiloChild.StartAsync(Path.Combine(options.WorkDirectory, "silo"), cancellationToken);
        await using var client = await TinyKvClient.ConnectAsync(new TinyKvClientOptions { Endpoints = [silo.Endpoint], ClusterId = "bench" }, cancellationToken);
        await FillAsync((k, v) => client.PutAsync(k, v, cancellationToken: cancellationToken));
        foreach (int inFlight in new[] { 1, 64 })
        {
            var putCpu = TimeSpan.Zero;
            var (put, enginePut) = await Measurement.InterleavedAsync(
                Rounds,
                () => MeasureServiceAsync(silo, () => LoopAsync(inFlight, round, i => client.PutAsync(Key(i), Value(i), cancellationToken: cancellationToken)), cpu => putCpu += cpu),
                () => LoopAsync(inFlight, round, i => engine.WriteAsync(new WriteBatch { Sync = true }.Put(ColumnFamily.Default, Key(i), Value(i)), cancellationToken).AsTask()));
            var getCpu = TimeSpan.Zero;
            var (get, engineGet) = await Measurement.InterleavedAsync(
                Rounds,
                () => MeasureServiceAsync(silo, () => LoopAsync(inFlight, round, async i => _ = await client.GetAsync(Key(i), cancellationToken: cancellationToken) ?? throw new InvalidOperationException("missing key")), cpu => getCpu += cpu),
                () => LoopAsync(inFlight, round, i =>
                {
                    using var snapshot = engine.Snapshot();
                    return snapshot.Get(ColumnFamily.Default, Key(i)) is null ? throw new InvalidOperationException("missing key") : Task.CompletedTask;
                }));
            if (inFlight == 64)
            {
                metrics.Add(Metric.Reported("service durable put, 64 in flight, processor time per op (client + silo)", putCpu.TotalMicroseconds / put.Ops, "µs"));
                metrics.Add(Metric.Reported("service get, 64 in flight, processor time per op (client + silo)", getCpu.TotalMicroseconds / get.Ops, "µs"));
            }

            metrics.Add(Metric.HigherIsBetter($"service durable put, {inFlight} in flight", put.OpsPerSecond, "ops/s", $"engine durable put in process, {inFlight} writers", enginePut.OpsPerSecond, inFlight == 64 ? 0.5 : null));
            metrics.AddRange(put.Report($"service durable put, {inFlight} in flight"));
            metrics.AddRange(enginePut.Report($"engine durable put, {inFlight} writers"));
            metrics.Add(inFlight == 64
                ? Metric.AtLeast($"service get, {inFlight} in flight", get.OpsPerSecond, "ops/s", 50_000)
                : Metric.HigherIsBetter($"service get, {inFlight} in flight", get.OpsPerSecond, "ops/s", $"engine get in process, {inFlight} readers", engineGet.OpsPerSecond, null));
            if (inFlight == 64)
            {
                metrics.Add(Metric.Reported("engine get in process, 64 readers", engineGet.OpsPerSecond, "ops/s"));
            }

            metrics.AddRange(get.Report($"service get, {inFlight} in flight"));
        }

        return metrics;
    }

    /// <summary>Runs one service round and hands its processor time (client + silo) to <paramref name="addCpu"/>.</summary>
    private static async Task<Measurement> MeasureServiceAsync(SiloChild silo, Func<Task<Measurement>> run, Action<TimeSpan> addCpu)
    {
        var before = ProcessorTime(silo);
        var measurement = await run();
        addCpu(ProcessorTime(silo) - before);
        return measurement;
    }

    /// <summary>
    /// Processor time of this process and the silo, for a cost per op. It counts the thread pool's spinning
    /// while it waits for work, so it over-states the cost of work that mostly waits (a lone durable put).
    /// </summary>
    private static TimeSpan ProcessorTime(SiloChild silo)
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime + silo.ProcessorTime;
    }

    private static byte[] Key(long i) => System.Text.Encoding.ASCII.GetBytes($"bench-{i % Keys:D10}");

    private static byte[] Value(long i)
    {
        byte[] value = new byte[ValueSize];
        BitConverter.TryWriteBytes(value, i);
        return value;
    }

    private static async Task FillAsync(Func<byte[], byte[], Task> put)
    {
        for (int batch = 0; batch < Keys; batch += 64)
        {
            await Task.WhenAll(Enumerable.Range(batch, Math.Min(64, Keys - batch)).Select(i => put(Key(i), Value(i))));
        }
    }

    /// <summary><paramref name="inFlight"/> loops issuing <paramref name="op"/> back to back for <paramref name="duration"/>.</summary>
    private static async Task<Measurement> LoopAsync(int inFlight, TimeSpan duration, Func<long, Task> op)
    {
        var latencies = new Latencies();
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long total = 0;
        var loops = Enumerable.Range(0, inFlight).Select(w => Task.Run(async () =>
        {
            long i = w * 7919L;
            long count = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                long t0 = Stopwatch.GetTimestamp();
                await op(i++);
                latencies.Add(Stopwatch.GetTimestamp() - t0);
                count++;
            }

            Interlocked.Add(ref total, count);
        }));
        await Task.WhenAll(loops);
        return new Measurement(total, Stopwatch.GetElapsedTime(start).TotalSeconds, latencies);
    }
}
