using TinyKv.Actors.Tests.Grains;
using TinyKv.Actors.Wire;
using TinyKv.TestKit;

namespace TinyKv.Actors.Tests;

public sealed class NetworkFilterTests
{
    private static readonly SiloAddress A = new("127.0.0.1", 1, 1);
    private static readonly SiloAddress B = new("127.0.0.1", 2, 1);
    private static readonly SiloAddress C = new("127.0.0.1", 3, 1);
    private static readonly SiloAddress Client = new("client", 4, 1);

    public static TheoryData<int> Seeds() => [.. TestSeed.Seeds(5)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DropFilterDropsExactlyWhatItsSeededRandomPicks(int seed)
    {
        var filter = new DropFilter(0.3, seed);
        var oracle = new Random(seed);
        int dropped = 0;
        for (int i = 0; i < 1000; i++)
        {
            bool expected = oracle.NextDouble() < 0.3;
            bool actual = filter.Filter(new NetworkMessage(A, B, new Envelope { Kind = EnvelopeKind.Request })).Drop;
            Assert.True(expected == actual, $"message {i}: {TestSeed.Replay(seed)}");
            dropped += actual ? 1 : 0;
        }

        Assert.InRange(dropped, 200, 400);
    }

    [Theory]
    [InlineData(1, 2, true)]
    [InlineData(2, 1, true)]
    [InlineData(1, 1, false)]
    [InlineData(2, 3, false)]
    [InlineData(1, 4, false)]
    [InlineData(4, 3, false)]
    public void PartitionDropsOnlyBetweenGroups(int from, int to, bool dropped)
    {
        var filter = new PartitionFilter([[A], [B, C]]);
        SiloAddress[] nodes = [A, B, C, Client];

        var verdict = filter.Filter(new NetworkMessage(nodes[from - 1], nodes[to - 1], new Envelope()));

        Assert.Equal(dropped, verdict.Drop);
    }

    [Fact]
    public async Task DroppedRequestsTimeOutAndClearingFiltersHeals()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(1);
        cluster.AddFilter(MessageFilter.DropCallsTo<ICounterGrain>());

        var call = grain.IncrementAsync();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<TimeoutException>(() => call);

        cluster.ClearFilters();
        Assert.Equal(1, await grain.IncrementAsync());
    }

    [Fact]
    public async Task DelayedRequestsArriveOnlyWhenFakeTimePasses()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(2);
        cluster.AddFilter(new DelayFilter(TimeSpan.FromSeconds(10), m => m.Kind == EnvelopeKind.Request));

        var call = grain.IncrementAsync();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(9));
        Assert.False(call.IsCompleted);

        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await call);
    }

    [Fact]
    public async Task MessageTypeFilterOnlyTouchesItsKind()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        cluster.AddFilter(MessageFilter.DropKind(EnvelopeKind.Pong));
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(3);

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.True(cluster.Network.Dropped == 0);
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(5.5));
        Assert.True(cluster.Network.Dropped > 0);
    }

    [Fact]
    public async Task PartitionFilterCutsSiloToSiloCallsButNotClients()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var caller = cluster.Silos[0];
        var other = cluster.Silos[1];
        string key = Enumerable.Range(0, 100).Select(i => $"k{i}").First(k =>
            other.Silo.GrainFactory.GetGrain<ILocalGrain>(k) is var g && g.GetGrainId().GetStableHashCode() >= 0);
        Assert.Equal(other.SiloAddress.ToString(), await other.Silo.GrainFactory.GetGrain<ILocalGrain>(key).WhereAsync());

        cluster.Partition([caller], [other]);
        var cut = caller.Silo.GrainFactory.GetGrain<ILocalGrain>(key).WhereAsync();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(2));
        Assert.False(cut.IsCompleted);

        cluster.ClearFilters();
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<TimeoutException>(() => cut);
        Assert.Equal(other.SiloAddress.ToString(), await caller.Silo.GrainFactory.GetGrain<ILocalGrain>(key).WhereAsync());
    }
}
