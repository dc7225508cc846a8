using System.Diagnostics;
using TinyKv.Storage.CrashChild;
using TinyKv.Storage.Faster;
using TinyKv.Storage.Memory;
using TinyKv.TestKit;
using Xunit.Abstractions;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>
/// Crash safety with a real process kill: a child process writes the seeded workload and reports
/// each synced batch; the parent SIGKILLs it at a random moment, reopens the engine and checks
/// that it holds exactly the first k batches of the workload, with k at least the last
/// acknowledged one. The next child recovers and continues, so later kills also test recovery
/// of recovered state.
/// </summary>
public sealed class ProcessKillCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int KillPoints = 50;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sigkill_at_random_moments_keeps_a_prefix_with_every_acknowledged_batch()
    {
        int seed = TestSeed.Seeds(1, first: 2026).Single();
        var random = new Random(seed);
        string data = _directory.Sub("engine");
        var oracle = new MemoryEngine();
        ulong oracleAt = 0;
        ulong acknowledged = 0;
        try
        {
            for (int kill = 0; kill < KillPoints; kill++)
            {
                string context = $"{TestSeed.Replay(seed)}, kill {kill}";
                acknowledged = Math.Max(acknowledged, await RunChildUntilKilledAsync(data, seed, random, context));

                using var engine = FasterKvEngine.Open(CrashWorkload.Options(data));
                ulong recovered = engine.LastSequence;
                Assert.True(recovered >= acknowledged, $"{context}: recovered {recovered} batches, but batch {acknowledged} was acknowledged as synced");
                if (recovered < oracleAt)
                {
                    oracle.Dispose();
                    oracle = new MemoryEngine();
                    oracleAt = 0;
                }

                for (; oracleAt < recovered; oracleAt++)
                {
                    await oracle.WriteAsync(CrashWorkload.Batch(seed, oracleAt + 1));
                }

                AssertSameContent(oracle, engine, $"{context}, recovered {recovered}");
            }

            output.WriteLine($"{KillPoints} kills, {oracleAt} batches recovered at the end, last acknowledged {acknowledged}");
        }
        finally
        {
            oracle.Dispose();
        }
    }

    /// <summary>Starts the child, kills it after a random number of acknowledgements, returns the last one it printed.</summary>
    private static async Task<ulong> RunChildUntilKilledAsync(string data, int seed, Random random, string context)
    {
        string childDll = typeof(CrashWorkload).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(childDll);
        start.ArgumentList.Add(data);
        start.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        ulong acknowledged = 0;
        int target = random.Next(0, 30);
        int acks = 0;
        try
        {
            string? first = await child.StandardOutput.ReadLineAsync();
            if (first is null || !first.StartsWith("START ", StringComparison.Ordinal))
            {
                Assert.Fail($"{context}: child said '{first}', stderr: {await child.StandardError.ReadToEndAsync()}");
            }

            while (acks < target && await child.StandardOutput.ReadLineAsync() is { } line)
            {
                acknowledged = ulong.Parse(line.AsSpan("ACK ".Length), provider: null);
                acks++;
            }

            Thread.SpinWait(random.Next(0, 200_000));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }

        return acknowledged;
    }

    private static void AssertSameContent(IKvEngine expectedEngine, IKvEngine actualEngine, string context)
    {
        using var expected = expectedEngine.Snapshot();
        using var actual = actualEngine.Snapshot();
        foreach (var cf in ColumnFamilies.All)
        {
            using var e = expected.NewIterator(cf);
            using var a = actual.NewIterator(cf);
            e.SeekToFirst();
            a.SeekToFirst();
            while (e.Valid && a.Valid)
            {
                Assert.True(e.Key.SequenceEqual(a.Key) && e.Value.SequenceEqual(a.Value), $"{context}: {cf} differs at key {Convert.ToHexString(e.Key)}");
                e.Next();
                a.Next();
            }

            Assert.True(e.Valid == a.Valid, $"{context}: {cf} has {(a.Valid ? "extra" : "missing")} keys");
        }
    }
}
