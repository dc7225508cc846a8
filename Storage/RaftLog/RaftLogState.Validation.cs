namespace TinyKv.Storage.RaftLog;

internal sealed partial class RaftLogState
{
    /// <summary>
    /// Null when <paramref name="batch"/> may apply after the batches <paramref name="pending"/>
    /// already accepted, else why not. An accepted batch is added to <paramref name="pending"/>;
    /// a rejected one leaves it as it was. Writer only (see the class remarks).
    /// </summary>
    /// <remarks>
    /// A group commit validates every batch of the group before it applies any of them, so each
    /// batch is checked against the logs as its predecessors in the group will leave them.
    /// </remarks>
    public string? Validate(RaftLogBatch batch, PendingBounds pending)
    {
        var ops = batch.Ops;
        var simulated = pending.Batch;
        simulated.Clear();
        for (int i = 0; i < ops.Length; i++)
        {
            ref readonly var op = ref ops[i];
            if (!simulated.TryGetValue(op.RegionId, out var log) && !pending.Group.TryGetValue(op.RegionId, out log))
            {
                log = _regions.TryGetValue(op.RegionId, out var r) ? (r.First, (ulong)r.Count) : (1UL, 0UL);
            }

            switch (op.Kind)
            {
                case RaftLogOpKind.Append:
                    ulong start = op.Entries[0].Index;
                    ulong last = log.First + log.Count - 1;
                    if (log.Count > 0 && (start < log.First || start > last + 1))
                    {
                        return $"region {op.RegionId}: append at {start} is outside [{log.First}, {last + 1}]";
                    }

                    log = log.Count == 0 ? (start, (ulong)op.Entries.Count) : (log.First, start - log.First + (ulong)op.Entries.Count);
                    break;
                case RaftLogOpKind.Compact when op.Index > log.First:
                    ulong drop = Math.Min(log.Count, op.Index - log.First);
                    log = log.Count - drop == 0 ? (Math.Max(op.Index, log.First + drop), 0UL) : (log.First + drop, log.Count - drop);
                    break;
                case RaftLogOpKind.Clean:
                    log = (1UL, 0UL);
                    break;
            }

            simulated[op.RegionId] = log;
        }

        foreach (var (region, log) in simulated)
        {
            pending.Group[region] = log;
        }

        return null;
    }

    /// <summary>
    /// The bounds (first index, entry count) each region's log will have once the batches accepted
    /// so far are applied. <see cref="Clear"/> it whenever they have been (or a new group starts).
    /// </summary>
    internal sealed class PendingBounds
    {
        public Dictionary<ulong, (ulong First, ulong Count)> Group { get; } = [];

        /// <summary>Scratch for the batch being validated, merged into <see cref="Group"/> when it is accepted.</summary>
        public Dictionary<ulong, (ulong First, ulong Count)> Batch { get; } = [];

        public void Clear() => Group.Clear();
    }
}
