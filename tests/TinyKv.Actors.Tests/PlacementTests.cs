using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class PlacementTests
{
    [Fact]
    public async Task HashPlacementIsTheSameWhicheverSiloPlaces()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);
        var sorted = cluster.Silos.Select(s => s.SiloAddress).Order().ToArray();

        for (long key = 0; key < 12; key++)
        {
            var caller = cluster.Silos[(int)(key % 3)];
            var grain = caller.Silo.GrainFactory.GetGrain<IHashedGrain>(key);
            var expected = sorted[(int)(grain.GetGrainId().GetStableHashCode() % (uint)sorted.Length)];
            Assert.Equal(expected.ToString(), await grain.WhereAsync());
        }
    }

    [Fact]
    public async Task PreferLocalActivatesOnTheCallingSilo()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events);

        foreach (var silo in cluster.Silos)
        {
            Assert.Equal(silo.SiloAddress.ToString(), await silo.Silo.GrainFactory.GetGrain<ILocalGrain>($"on-{silo.Index}").WhereAsync());
        }
    }

    [Fact]
    public async Task CustomDirectorsReplaceBuiltInOnes()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(3, events, (_, silo) =>
            silo.AddPlacementDirector<HashBasedPlacement, LastSiloDirector>());

        var last = cluster.Silos.Select(s => s.SiloAddress).Order().Last();
        for (long key = 0; key < 5; key++)
        {
            Assert.Equal(last.ToString(), await cluster.GrainFactory.GetGrain<IHashedGrain>(key).WhereAsync());
        }
    }

    [Fact]
    public async Task DelayDeactivationPostponesIdleCollection()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<IKeepAliveGrain>(1);
        await grain.KeepAliveAsync(TimeSpan.FromMinutes(30));

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(20));
        Assert.DoesNotContain("keepalive-deactivated:ActivationIdle", events.Log);

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(12));
        Assert.Contains("keepalive-deactivated:ActivationIdle", events.Log);
        Assert.Contains("grain-filter:KeepAliveAsync", events.Log);
    }

    private sealed class LastSiloDirector : IPlacementDirector
    {
        public SiloAddress OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
            context.CompatibleSilos[^1];
    }
}
