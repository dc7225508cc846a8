using TinyKv.Actors.Tests.Grains;
using TinyKv.TestKit;

namespace TinyKv.Actors.Tests;

public sealed class ClusterTests
{
    [Fact]
    public async Task ConcurrentFirstCallsFromEverySiloMakeOneActivationPerGrain()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);
        var keys = Enumerable.Range(1, 30).Select(k => (long)k).ToArray();

        var calls = keys.SelectMany(key => cluster.Silos.SelectMany(silo => Enumerable.Range(0, 3).Select(async _ =>
            (Key: key, Activation: await silo.Silo.GrainFactory.GetGrain<ICounterGrain>(key).ActivationIdAsync()))));
        var results = await Task.WhenAll(calls);

        foreach (var group in results.GroupBy(r => r.Key))
        {
            Assert.Single(group.Select(r => r.Activation).Distinct());
            Assert.Single(cluster.Hosting(cluster.GrainFactory.GetGrain<ICounterGrain>(group.Key).GetGrainId()));
        }

        Assert.Equal(keys.Length, events.Activations);
        Assert.Equal(keys.Length, cluster.Directory.Count);
    }

    [Fact]
    public async Task KilledSiloIsDeclaredDeadAndItsGrainsReactivateElsewhere()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);
        var grains = Enumerable.Range(1, 30).Select(k => cluster.GrainFactory.GetGrain<ICounterGrain>(k)).ToArray();
        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }

        var victim = cluster.Silos[1];
        var victimAddress = victim.SiloAddress;
        var lost = grains.Where(g => victim.Silo.HostsActivation(g.GetGrainId())).ToArray();
        Assert.NotEmpty(lost);

        await cluster.KillSiloAsync(victim);
        await cluster.WaitForLivenessToStabilizeAsync();

        var row = (await cluster.MembershipTable.ReadAllAsync()).TryGet(victimAddress);
        Assert.Equal(SiloStatus.Dead, row!.Value.Entry.Status);
        foreach (var grain in lost)
        {
            Assert.Equal(1, await grain.IncrementAsync());
            var hosts = cluster.Hosting(grain.GetGrainId());
            Assert.Single(hosts);
            Assert.NotEqual(victimAddress.Endpoint, hosts[0].SiloAddress.Endpoint);
        }
    }

    [Fact]
    public async Task PartitionedSiloIsDeclaredDeadStopsItselfAndItsGrainsAreActiveOnceAfterwards()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);
        var isolated = cluster.Silos[2];
        var grain = isolated.Silo.GrainFactory.GetGrain<ILocalGrain>("pinned-to-isolated");
        Assert.Equal(isolated.SiloAddress.ToString(), await grain.WhereAsync());

        cluster.Partition([cluster.Silos[0], cluster.Silos[1]], [isolated]);
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.False(isolated.IsActive);
        Assert.Equal(2, cluster.Silos.Count);
        var where = await cluster.GrainFactory.GetGrain<ILocalGrain>("pinned-to-isolated").WhereAsync();
        Assert.NotEqual(isolated.SiloAddress.ToString(), where);
        Assert.Single(cluster.Hosting(grain.GetGrainId()));
        Assert.False(isolated.Silo.HostsActivation(grain.GetGrainId()));
    }

    /// <remarks>Every pong arrives after the next probe round began: late, but proof of life.</remarks>
    [Fact]
    public async Task LatePongsDoNotMakeALiveSiloDead()
    {
        await using var cluster = await Clusters.StartAsync(2, new GrainEvents());
        var probe = new ClusterMembershipOptions().ProbeTimeout;
        cluster.AddFilter(new DelayFilter(probe * 1.5, m => m.Kind == Wire.EnvelopeKind.Pong));

        await cluster.AdvanceTimeAsync(probe * 20);

        Assert.All(cluster.Silos, s => Assert.True(s.IsActive, $"{s} was declared dead"));
        var table = await cluster.MembershipTable.ReadAllAsync();
        Assert.All(table.Members, m => Assert.Equal(SiloStatus.Active, m.Entry.Status));
    }

    [Fact]
    public async Task StorePlacementPutsEachStoreGrainOnTheSiloHostingThatStore()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events, (index, silo) =>
            silo.Configure<SiloOptions>(o => o.HostedStoreIds = [index + 1, index + 11]));

        foreach (var silo in cluster.Silos)
        {
            foreach (long store in new long[] { silo.Index + 1, silo.Index + 11 })
            {
                Assert.Equal(silo.SiloAddress.ToString(), await cluster.GrainFactory.GetGrain<IStoreGrain>(store).WhereAsync());
            }
        }

        await Assert.ThrowsAsync<SiloUnavailableException>(() => cluster.GrainFactory.GetGrain<IStoreGrain>(99).WhereAsync());
    }

    [Fact]
    public async Task SingletonLivesOnTheOldestSiloAndFailsOverWhenItIsKilled()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);
        var scheduler = cluster.GrainFactory.GetGrain<ISchedulerGrain>(0);
        var oldest = cluster.Silos[0];
        Assert.Equal(oldest.SiloAddress.ToString(), await scheduler.WhereAsync());

        await cluster.KillSiloAsync(oldest);
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.Equal(cluster.Silos[0].SiloAddress.ToString(), await scheduler.WhereAsync());
        Assert.Single(cluster.Hosting(scheduler.GetGrainId()));
    }

    [Fact]
    public async Task GracefulStopDeactivatesGrainsAndLeavesMembership()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var leaving = cluster.Silos[1];
        var grains = Enumerable.Range(1, 20).Select(k => cluster.GrainFactory.GetGrain<ICounterGrain>(k)).ToArray();
        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }

        int hosted = grains.Count(g => leaving.Silo.HostsActivation(g.GetGrainId()));
        await cluster.StopSiloAsync(leaving);

        Assert.Equal(hosted, events.DeactivationReasons.Count(r => r == DeactivationReasonCode.ShuttingDown));
        var row = (await cluster.MembershipTable.ReadAllAsync()).TryGet(leaving.SiloAddress);
        Assert.Equal(SiloStatus.Dead, row!.Value.Entry.Status);
        await cluster.WaitForLivenessToStabilizeAsync();
        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }

        Assert.Equal(grains.Length, cluster.Directory.Count);
    }

    [Fact]
    public async Task RestartedSiloComesBackOnItsPortWithANewGeneration()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var before = cluster.Silos[1].SiloAddress;

        var restarted = await cluster.RestartSiloAsync(cluster.Silos[1]);
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.True(restarted.SiloAddress.IsSameEndpoint(before));
        Assert.True(restarted.SiloAddress.Generation > before.Generation);
        var table = await cluster.MembershipTable.ReadAllAsync();
        Assert.Equal(SiloStatus.Dead, table.TryGet(before)!.Value.Entry.Status);
        Assert.Equal(SiloStatus.Active, table.TryGet(restarted.SiloAddress)!.Value.Entry.Status);
        Assert.Equal(1, await restarted.Silo.GrainFactory.GetGrain<ILocalGrain>("after-restart").WhereAsync() == restarted.SiloAddress.ToString() ? 1 : 0);
    }

    [Fact]
    public async Task AdditionalSilosJoinAndTakeNewGrains()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var added = await cluster.StartAdditionalSiloAsync();
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.Equal(2, cluster.Silos.Count);
        var places = new HashSet<string>();
        for (int k = 0; k < 40; k++)
        {
            places.Add(await cluster.GrainFactory.GetGrain<ICounterGrain>(k).WhereAsync());
        }

        Assert.Contains(added.SiloAddress.ToString(), places);
    }

    [Fact]
    public async Task SilosLearnOfAJoiningOrLeavingSiloByGossipBeforeTheirTableRefresh()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var start = cluster.Time.GetUtcNow();

        var added = await cluster.StartAdditionalSiloAsync();

        foreach (var silo in cluster.Silos)
        {
            Assert.Equal(SiloStatus.Active, silo.Silo.Membership!.Current.GetStatus(added.SiloAddress));
        }

        await cluster.StopSiloAsync(added);

        foreach (var silo in cluster.Silos)
        {
            Assert.Equal(SiloStatus.Dead, silo.Silo.Membership!.Current.GetStatus(added.SiloAddress));
        }

        Assert.Equal(start, cluster.Time.GetUtcNow());
    }

    [Fact]
    public async Task DeathDeclaredByOneSiloReachesTheOthersByGossip()
    {
        var events = new GrainEvents();
        var liveness = new ClusterMembershipOptions { TableRefreshTimeout = TimeSpan.FromHours(1) };
        await using var cluster = await Clusters.StartAsync(3, events, (_, silo) =>
            silo.Configure<ClusterMembershipOptions>(o => o.TableRefreshTimeout = liveness.TableRefreshTimeout));
        var victim = cluster.Silos[2];

        await cluster.KillSiloAsync(victim);
        await cluster.AdvanceTimeAsync(liveness.ProbeTimeout * (liveness.NumMissedProbesLimit + 2));

        var table = await cluster.MembershipTable.ReadAllAsync();
        Assert.Equal(SiloStatus.Dead, table.TryGet(victim.SiloAddress)!.Value.Entry.Status);
        foreach (var silo in cluster.Silos.Where(s => s != victim))
        {
            Assert.Equal(SiloStatus.Dead, silo.Silo.Membership!.Current.GetStatus(victim.SiloAddress));
        }
    }

    public static TheoryData<int> Seeds() => [.. TestSeed.Seeds(3)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomKillsNeverLeaveTwoActivationsOfAGrain(int seed)
    {
        var random = new Random(seed);
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(4, events);
        var grains = Enumerable.Range(1, 24).Select(k => cluster.GrainFactory.GetGrain<ICounterGrain>(k)).ToArray();
        for (int round = 0; round < 2; round++)
        {
            await Task.WhenAll(grains.Select(g => g.IncrementAsync()));
            await cluster.KillSiloAsync(cluster.Silos[random.Next(cluster.Silos.Count)]);
            await cluster.WaitForLivenessToStabilizeAsync();
            await cluster.StartAdditionalSiloAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
            await Task.WhenAll(grains.Select(g => g.IncrementAsync()));
            foreach (var grain in grains)
            {
                Assert.True(cluster.Hosting(grain.GetGrainId()).Count == 1, $"{grain.GetGrainId()} round {round}: {TestSeed.Replay(seed)}");
            }
        }
    }
}
