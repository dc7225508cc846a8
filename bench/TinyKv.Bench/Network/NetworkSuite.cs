using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TinyKv.Actors;
using TinyKv.Actors.TestSilo;

namespace TinyKv.Bench.Network;

/// <summary>
/// Grain calls over real TCP on loopback: from a silo in this process to grains on a silo in a child
/// process (1 and 64 calls in flight), and from a TCP cluster client in this process to grains on
/// that same child silo (64 in flight), with p50/p99.
/// Each call carries a 64-byte payload each way. Baseline in the same run: raw async socket
/// request/response over 32 connections with 64-byte messages (<see cref="RawSocketBaseline"/>).
/// The baseline and the remote calls with 64 in flight are measured in alternating slices
/// (<see cref="Slices"/> of each), so the machine's load, which on a shared host changes from one
/// second to the next, weighs on both sides of the ratio alike.
/// Floor: remote calls with 64 in flight ≥ 2× the baseline (coalescing must pay off).
/// </summary>
public sealed class NetworkSuite : IBenchmarkSuite
{
    private const int InFlight = 64;

    /// <summary>Alternating slices of the baseline and of the remote calls, each a fraction of a timed phase.</summary>
    private const int Slices = 4;

    /// <summary>A warm-up has settled once fewer methods than this compiled in either process during a round (<see cref="JitWarmUp"/>).</summary>
    private const int SettledCompilations = 4;

    /// <summary>Warm-up rounds at most, each a quarter of a timed phase.</summary>
    private const int MaxWarmUpRounds = 12;

    public string Name => "network";

    /// <summary>
    /// Both processes (this one, with the calling silo and the raw baseline, and the child silo, which
    /// inherits it) let an idle thread-pool worker spin up to 1000 times before it blocks (.NET's
    /// default is 70). A call's burst leaves the cores idle for a moment between its hops; an idle
    /// virtual CPU halts, and on a busy host waking it again waits for the hypervisor, which shows as
    /// steal. The spin bridges those gaps. The baseline, one hop per round trip and busy throughout,
    /// runs under the same setting. Measured in Actors/Networking/README.md ("Hypervisor steal that
    /// the calls cause"); setting the variable before the run measures another limit.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "1000",
    };

    public string Description => "grain calls/s between two silo processes and client→silo over TCP vs raw sockets";

    public async Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var duration = options.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6));
        string clusterId = $"bench-{Guid.NewGuid():N}";
        Directory.CreateDirectory(options.WorkDirectory);
        var database = new AdoNetOptions
        {
            Invariant = AdoNetInvariants.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(options.WorkDirectory, $"network-{Guid.NewGuid():N}.db")}",
        };

        await using var baseline = await RawSocketBaseline.StartAsync(32);
        await JitWarmUp.UntilSettledAsync(() => baseline.MeasureAsync(duration / 4, cancellationToken), SettledCompilations, MaxWarmUpRounds, cancellationToken: cancellationToken);

        using var local = await StartSiloAsync(clusterId, database, cancellationToken);
        await using var child = await SiloChild.StartAsync(clusterId, database.Invariant, database.ConnectionString, FreePort(), cancellationToken);
        var silo = local.Services.GetRequiredService<Silo>();
        await using var client = await TcpClusterClient.ConnectAsync(new TcpClusterClientOptions { ClusterId = clusterId, Clustering = database }, cancellationToken: cancellationToken);
        var remote = await GrainsOnAsync(silo.GrainFactory, child.ProcessId, InFlight);
        var viaClient = await GrainsOnAsync(client, child.ProcessId, InFlight, firstKey: 50_000);
        var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[RawSocketBaseline.MessageSize]) };

        using var childProcess = System.Diagnostics.Process.GetProcessById(child.ProcessId);
        await JitWarmUp.UntilSettledAsync(() => CallLoops.MeasureAsync(i => i % 2 == 0 ? remote[i].EchoAsync(payload) : viaClient[i].EchoAsync(payload), InFlight, duration / 4, cancellationToken), SettledCompilations, MaxWarmUpRounds, () => remote[0].JitCompiledMethodsAsync(), cancellationToken);
        var remote1 = await CallLoops.MeasureAsync(_ => remote[0].EchoAsync(payload), 1, duration, cancellationToken);
        var rawSlices = new List<LoopResult>();
        var remoteSlices = new List<LoopResult>();
        for (int slice = 0; slice < Slices; slice++)
        {
            rawSlices.Add(await baseline.MeasureAsync(duration / Slices, cancellationToken));
            remoteSlices.Add(await CallLoops.MeasureAsync(i => remote[i].EchoAsync(payload), InFlight, duration / Slices, cancellationToken, childProcess, remote[0].CompletedWorkItemsAsync));
        }

        var client64 = await CallLoops.MeasureAsync(i => viaClient[i].EchoAsync(payload), InFlight, duration, cancellationToken, childProcess, remote[0].CompletedWorkItemsAsync);
        await local.StopAsync(cancellationToken);
        var raw = LoopResult.Mean(rawSlices);
        var remote64 = LoopResult.Mean(remoteSlices);
        var sliceRatios = remoteSlices.Zip(rawSlices, (r, b) => r.CallsPerSecond / b.CallsPerSecond).ToArray();

        var metrics = new List<Metric>
        {
            Metric.HigherIsBetter("remote.64inflight.calls_per_s", remote64.CallsPerSecond, "calls/s", "raw socket req/resp, 32 connections, 64 B", raw.CallsPerSecond, 2.0),
            Metric.HigherIsBetter("remote.1inflight.calls_per_s", remote1.CallsPerSecond, "calls/s", "raw socket req/resp, 32 connections, 64 B", raw.CallsPerSecond, null),
            Metric.HigherIsBetter("client.64inflight.calls_per_s", client64.CallsPerSecond, "calls/s", "raw socket req/resp, 32 connections, 64 B", raw.CallsPerSecond, null),
            Metric.Reported("raw.32connections.roundtrips_per_s", raw.CallsPerSecond, "round trips/s"),
            Metric.Reported("remote.64inflight.slice_ratio_min", sliceRatios.Min(), "× raw (one slice pair)"),
            Metric.Reported("remote.64inflight.slice_ratio_max", sliceRatios.Max(), "× raw (one slice pair)"),
            Metric.Reported("raw.32connections.cpu_per_roundtrip", raw.CpuMicrosPerCall, "µs CPU (both ends)"),
            Metric.Reported("remote.64inflight.cpu_per_call", remote64.CpuMicrosPerCall, "µs CPU (both processes)"),
            Metric.Reported("remote.64inflight.caller_allocated_per_call", remote64.AllocatedBytesPerCall, "bytes"),
            Metric.Reported("client.64inflight.cpu_per_call", client64.CpuMicrosPerCall, "µs CPU (both processes)"),
            Metric.Reported("client.64inflight.caller_allocated_per_call", client64.AllocatedBytesPerCall, "bytes"),
            Metric.Reported("remote.64inflight.caller_workitems_per_call", remote64.WorkItemsPerCall, "thread-pool work items"),
            Metric.Reported("client.64inflight.caller_workitems_per_call", client64.WorkItemsPerCall, "thread-pool work items"),
            Metric.Reported("remote.64inflight.callee_workitems_per_call", remote64.CalleeWorkItemsPerCall, "thread-pool work items"),
            Metric.Reported("client.64inflight.callee_workitems_per_call", client64.CalleeWorkItemsPerCall, "thread-pool work items"),
        };
        foreach (var (name, m) in new[] { ("raw.32connections", raw), ("remote.1inflight", remote1), ("remote.64inflight", remote64), ("client.64inflight", client64) })
        {
            metrics.Add(Metric.Reported($"{name}.p50", m.P50Micros, "µs"));
            metrics.Add(Metric.Reported($"{name}.p99", m.P99Micros, "µs"));
        }

        return metrics;
    }

    /// <summary>Probe grains activated on the child process, found by asking each where it runs.</summary>
    private static async Task<IProbeGrain[]> GrainsOnAsync(IGrainFactory factory, int processId, int count, long firstKey = 0)
    {
        var found = new List<IProbeGrain>();
        for (long key = firstKey; found.Count < count; key++)
        {
            var grain = factory.GetGrain<IProbeGrain>(key);
            if (await grain.ProcessIdAsync() == processId)
            {
                found.Add(grain);
            }
        }

        return [.. found];
    }

    private static async Task<IHost> StartSiloAsync(string clusterId, AdoNetOptions database, CancellationToken cancellationToken)
    {
        int port = FreePort();
        var host = new HostBuilder()
            .UseTinyKvSilo(silo => silo
                .Configure<SiloOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.SiloPort = port;
                })
                .Configure<ClusterMembershipOptions>(RelaxedLiveness.Apply)
                .UseTcpTransport()
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = database.Invariant;
                    o.ConnectionString = database.ConnectionString;
                }))
            .Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
