using System.Collections.Immutable;

namespace TinyKv.Scheduler.Cluster;

/// <summary>
/// Ids for a split (schedulerpb.AskSplitResponse): the new region's id and one new peer id per
/// peer of the splitting region, in the order of its peers.
/// </summary>
public readonly record struct AskSplitResult(SchedulerError Error, ulong NewRegionId, ImmutableArray<ulong> NewPeerIds);
