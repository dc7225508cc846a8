using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// What a region's leader does with a heartbeat response: applies the command to the region as
/// raft would once committed, and checks the safety rules a command must respect.
/// </summary>
internal static class LeaderSimulator
{
    /// <summary>The region after <paramref name="command"/> is applied.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">When the command breaks a safety rule (two peers on one store, removing the leader...).</exception>
    public static RegionInfo Apply(RegionInfo region, RegionCommand command)
    {
        var bumped = region.Epoch with { ConfVer = region.Epoch.ConfVer + 1 };
        switch (command)
        {
            case ChangePeerCommand { ChangeType: ConfChangeType.AddNode or ConfChangeType.AddLearnerNode } add:
                var existing = region.GetStorePeer(add.Peer.StoreId);
                if (existing is { } e && e.Id != add.Peer.Id)
                {
                    Assert.Fail($"region {region.Id} would get two peers on store {add.Peer.StoreId}: {e} and {add.Peer}");
                }

                if (existing is { } same)
                {
                    return same.IsLearner && !add.Peer.IsLearner
                        ? region with { Peers = region.Peers.Replace(same, add.Peer), Epoch = bumped }
                        : region;
                }

                return region with { Peers = region.Peers.Add(add.Peer), Epoch = bumped };
            case ChangePeerCommand { ChangeType: ConfChangeType.RemoveNode } remove:
                Assert.True(region.Leader?.Id != remove.Peer.Id, $"region {region.Id}: the leader {remove.Peer} is asked to remove itself");
                Assert.True(region.Peers.Contains(remove.Peer), $"region {region.Id}: removing unknown {remove.Peer}");
                return region with
                {
                    Peers = region.Peers.Remove(remove.Peer),
                    PendingPeers = region.PendingPeers.Remove(remove.Peer),
                    Epoch = bumped,
                };
            case TransferLeaderCommand transfer:
                Assert.True(region.Peers.Contains(transfer.Peer) && !transfer.Peer.IsLearner, $"region {region.Id}: leader transfer to {transfer.Peer}");
                return region with { Leader = transfer.Peer };
            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
    }
}
