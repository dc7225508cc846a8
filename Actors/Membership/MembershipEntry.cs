namespace TinyKv.Actors;

/// <summary>
/// One row of the membership table, in Orleans' shape: the silo incarnation, its status, the
/// suspicion votes against it (who and when), its last I-am-alive time and start time.
/// <see cref="HostedStoreIds"/> is our addition: the stores a silo hosts, for store placement.
/// Rows are immutable; updates make copies.
/// </summary>
public sealed record MembershipEntry
{
    public required SiloAddress SiloAddress { get; init; }

    public SiloStatus Status { get; init; }

    /// <summary>Suspicion votes: the voter and the time of the vote.</summary>
    public IReadOnlyList<(SiloAddress Voter, DateTimeOffset Time)> SuspectTimes { get; init; } = [];

    public DateTimeOffset IAmAliveTime { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public string SiloName { get; init; } = string.Empty;

    public string HostName { get; init; } = string.Empty;

    public IReadOnlyList<long> HostedStoreIds { get; init; } = [];

    /// <summary>Votes younger than <paramref name="expiration"/> at <paramref name="now"/>, by distinct voters.</summary>
    public IReadOnlyList<SiloAddress> FreshVoters(DateTimeOffset now, TimeSpan expiration) =>
        SuspectTimes.Where(v => now - v.Time < expiration).Select(v => v.Voter).Distinct().ToList();

    public override string ToString() => $"{SiloAddress} {Status} votes={SuspectTimes.Count}";
}
