using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;
using TinyKv.TestKit;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// A seeded cluster of stores and regions driven round by round: each round the clock moves one
/// second, live stores report, every region's leader reports (in random order) and applies most of
/// the commands it gets (some new peers stay pending for a round), and the scheduler ticks. Regions
/// whose leader sits on a failed store elect a leader among the others and report the lost peer down.
/// Every operator the scheduler proposes is checked never to put a second peer of a region on a store.
/// </summary>
internal sealed class ClusterSimulation
{
    private readonly Random _random;
    private readonly int _seed;
    private readonly HashSet<ulong> _failed = [];
    private DateTimeOffset _failedAt;

    /// <summary>Regions start piled on stores 1, 2 and 3, with every leader on store 1.</summary>
    public ClusterSimulation(int seed, int storeCount, int regionCount, SchedulerOptions? options = null)
    {
        _seed = seed;
        _random = new Random(seed);
        Harness = new ClusterHarness(options, storeCount, seed);
        Harness.StoreHeartbeats();
        ulong nextPeer = 1_000_000; // above every id the allocator hands out during a run
        for (int i = 0; i < regionCount; i++)
        {
            var peers = new[] { 1ul, 2ul, 3ul }.Select(s => new Peer(nextPeer++, s)).ToArray();
            var start = i == 0 ? [] : Build.NumKey((ulong)i * 1000);
            var end = i == regionCount - 1 ? [] : Build.NumKey((ulong)(i + 1) * 1000);
            Regions.Add(Build.Region((ulong)i + 100, start, end, new RegionEpoch(1, 2), peers));
        }
    }

    public ClusterHarness Harness { get; }

    /// <summary>The regions as their leaders see them (the truth the scheduler learns from heartbeats).</summary>
    public List<RegionInfo> Regions { get; } = [];

    public int Rounds { get; private set; }

    /// <summary>Stops a store: no more store heartbeats, its leaders are replaced by elections.</summary>
    public void Fail(ulong storeId)
    {
        _failed.Add(storeId);
        _failedAt = Harness.Clock.GetUtcNow();
    }

    /// <summary>Runs rounds until <paramref name="quietRounds"/> in a row see no command and no new operator; false if it never settles.</summary>
    public bool RunUntilQuiet(int maxRounds, int quietRounds = 20, int minRounds = 0)
    {
        int quiet = 0;
        for (int i = 0; i < maxRounds; i++)
        {
            quiet = RunRound() ? 0 : quiet + 1;
            if (quiet >= quietRounds && i >= minRounds)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One round; true if anything was scheduled or commanded.</summary>
    public bool RunRound()
    {
        Rounds++;
        var h = Harness;
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.StoreHeartbeats([.. _failed]);
        bool busy = false;
        foreach (int i in Enumerable.Range(0, Regions.Count).OrderBy(_ => _random.Next()))
        {
            var region = Elect(Regions[i] with { PendingPeers = [] });
            var command = h.Heartbeat(Regions[i] = region);
            busy |= command is not null;
            if (command is not null && _random.Next(10) < 8)
            {
                var applied = LeaderSimulator.Apply(region, command);
                bool addedPeer = applied.Peers.Length > region.Peers.Length;
                Regions[i] = addedPeer && _random.Next(2) == 0 ? applied with { PendingPeers = [applied.Peers[^1]] } : applied;
            }
        }

        foreach (var op in h.Cluster.Tick())
        {
            busy = true;
            var known = h.Cluster.GetRegion(op.RegionId)!;
            foreach (var step in op.Steps)
            {
                ulong? target = step switch { AddPeer a => a.StoreId, AddLearner l => l.StoreId, _ => null };
                Assert.False(target is { } t && known.HasPeerOnStore(t), $"round {Rounds}: {op} adds a second peer of region {known.Id} on store {target}; {TestSeed.Replay(_seed)}");
                Assert.False(target is { } f && _failed.Contains(f), $"round {Rounds}: {op} adds a peer on failed store {target}; {TestSeed.Replay(_seed)}");
            }
        }

        return busy;
    }

    public string Summary()
    {
        var stores = Harness.Cluster.GetStores();
        return $"{TestSeed.Replay(_seed)}, {stores.Count} stores, {Regions.Count} regions, {Rounds} rounds; " +
            $"regions [{string.Join(", ", stores.Select(s => s.RegionCount))}] leaders [{string.Join(", ", stores.Select(s => s.LeaderCount))}]";
    }

    /// <summary>A region whose leader's store failed gets a new leader among the live voters and reports the lost peers down.</summary>
    private RegionInfo Elect(RegionInfo region)
    {
        if (_failed.Count == 0)
        {
            return region;
        }

        var lost = region.Peers.Where(p => _failed.Contains(p.StoreId)).ToArray();
        if (lost.Length == 0)
        {
            return region with { DownPeers = [] };
        }

        var downSeconds = (ulong)(Harness.Clock.GetUtcNow() - _failedAt).TotalSeconds;
        var leader = region.Leader is { } l && !_failed.Contains(l.StoreId) ? l : region.Peers.First(p => !p.IsLearner && !_failed.Contains(p.StoreId));
        return region with { Leader = leader, DownPeers = [.. lost.Select(p => new DownPeer(p, downSeconds))] };
    }
}
