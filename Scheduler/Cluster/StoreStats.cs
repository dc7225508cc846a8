namespace TinyKv.Scheduler.Cluster;

/// <summary>What a store heartbeat reports (schedulerpb.StoreStats, the part the scheduler keeps).</summary>
public sealed record StoreStats(ulong StoreId, ulong Capacity, ulong Available);
