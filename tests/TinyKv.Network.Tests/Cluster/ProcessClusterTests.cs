using TinyKv.Actors.TestSilo;
using TinyKv.Network.Tests.AdoNet;

namespace TinyKv.Network.Tests.Cluster;

/// <summary>
/// Silos in separate processes forming one cluster through SQLite or PostgreSQL membership, called
/// by a TCP cluster client: calls across processes, kill -9 of a silo and reactivation of its
/// grains elsewhere, client failover between gateways.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessClusterTests(PostgresServer postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<string> DatabaseKinds => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public async Task TwoSiloProcessesFormAClusterAndCallEachOther(string kind)
    {
        await using var cluster = await ProcessCluster.StartAsync(Database(kind), silos: 2);
        var client = cluster.Client;

        // Each silo places by its own view of the table, which may trail the table (and the client)
        // for a moment after joining: until both views converge, new grains may all land on one silo.
        var pids = new Dictionary<long, int>();
        long next = 0;
        await Eventually.UntilAsync<object>(
            async () =>
            {
                for (int i = 0; i < 16; i++, next++)
                {
                    pids[next] = await client.GetGrain<IProbeGrain>(next).ProcessIdAsync();
                }

                return pids.Values.Distinct().Count() == cluster.Silos.Count ? true : null;
            },
            Bound,
            "grains activated on both silo processes");

        Assert.Equal(cluster.Silos.Select(s => s.ProcessId).Order(), pids.Values.Distinct().Order());
        long onFirst = pids.First(p => p.Value == cluster.Silos[0].ProcessId).Key;
        long onSecond = pids.First(p => p.Value == cluster.Silos[1].ProcessId).Key;
        string remote = await client.GetGrain<IProbeGrain>(onFirst).CallOtherAsync(onSecond);
        Assert.Equal(await client.GetGrain<IProbeGrain>(onSecond).WhereAsync(), remote);
        Assert.Contains(cluster.Silos[1].Address.ToString(), remote, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public async Task AKilledSiloIsDeclaredDeadAndItsGrainsReactivateOnTheOther(string kind)
    {
        await using var cluster = await ProcessCluster.StartAsync(Database(kind), silos: 2);
        var client = cluster.Client;
        var victim = cluster.Silos[1];
        long key = await cluster.KeyOnAsync(victim);
        Assert.Equal(7, await client.GetGrain<IStoredCounterGrain>(key).AddAsync(7));
        await client.GetGrain<IProbeGrain>(key).IncrementAsync();

        victim.Kill();

        await cluster.WaitUntilDeadAsync(victim, Bound);
        int pid = await Eventually.UntilAsync<object>(async () =>
        {
            try
            {
                return await client.GetGrain<IProbeGrain>(key).ProcessIdAsync();
            }
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException)
            {
                return null;
            }
        }, Bound, $"probe {key} to answer after {victim.Address} died") is int p ? p : 0;
        Assert.Equal(cluster.Silos[0].ProcessId, pid);
        Assert.Equal(1, await client.GetGrain<IProbeGrain>(key).IncrementAsync());
        Assert.Equal(10, await client.GetGrain<IStoredCounterGrain>(key).AddAsync(3));
    }

    [Fact]
    public async Task TheClientFailsOverWhenAGatewayDiesAndEveryCallCompletesOnce()
    {
        await using var cluster = await ProcessCluster.StartAsync(Database("sqlite"), silos: 3);
        var client = cluster.Client;
        var victim = cluster.Silos[2];
        var calls = Enumerable.Range(0, 200).Select(i => Outcome(client.GetGrain<IProbeGrain>(i).IncrementAsync())).ToList();
        victim.Kill();
        calls.AddRange(Enumerable.Range(0, 200).Select(i => Outcome(client.GetGrain<IProbeGrain>(i).IncrementAsync())));

        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes, o => Assert.True(o is "ok" or nameof(SiloUnavailableException) or nameof(TimeoutException), o));
        await cluster.WaitUntilDeadAsync(victim, Bound);
        for (long key = 0; key < 50; key++)
        {
            Assert.NotEqual(victim.ProcessId, await client.GetGrain<IProbeGrain>(key).ProcessIdAsync());
        }
    }

    private static async Task<string> Outcome(Task<int> call)
    {
        try
        {
            await call;
            return "ok";
        }
        catch (Exception e) when (e is SiloUnavailableException or TimeoutException)
        {
            return e.GetType().Name;
        }
    }

    private AdoNetOptions Database(string kind) => kind == "sqlite" ? Databases.NewSqlite() : Databases.Postgres(postgres);
}
