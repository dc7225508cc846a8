namespace TinyKv.Raft.Tracker;

/// <summary>
/// The leader's view of one follower (Raft §5.3 nextIndex/matchIndex, plus etcd/raft's
/// probe/replicate/snapshot flow control).
/// </summary>
/// <remarks>Invariant: <c>Match &lt; Next</c>.</remarks>
public sealed class Progress
{
    internal Progress(ulong match, ulong next, int maxInflight, bool isLearner)
    {
        Match = match;
        Next = next;
        Inflights = new Inflights(maxInflight);
        IsLearner = isLearner;
    }

    /// <summary>The highest index known to be replicated on the follower.</summary>
    public ulong Match { get; internal set; }

    /// <summary>The index of the next entry to send.</summary>
    public ulong Next { get; internal set; }

    public ProgressState State { get; private set; }

    /// <summary>The index of the snapshot in flight while in <see cref="ProgressState.Snapshot"/>.</summary>
    public ulong PendingSnapshot { get; internal set; }

    /// <summary>Whether the follower was heard from in the current election timeout (CheckQuorum).</summary>
    public bool RecentActive { get; internal set; }

    /// <summary>In <see cref="ProgressState.Probe"/>: an append is in flight, so no more are sent until a reply or heartbeat.</summary>
    public bool ProbeSent { get; internal set; }

    public Inflights Inflights { get; }

    public bool IsLearner { get; internal set; }

    /// <summary>Whether sending appends to this follower is paused by flow control.</summary>
    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    internal void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }

    internal void BecomeProbe()
    {
        // After a snapshot the follower has at least the snapshot: probe from there.
        if (State == ProgressState.Snapshot)
        {
            ulong pending = PendingSnapshot;
            ResetState(ProgressState.Probe);
            Next = Math.Max(Match + 1, pending + 1);
        }
        else
        {
            ResetState(ProgressState.Probe);
            Next = Match + 1;
        }
    }

    internal void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    internal void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>An acknowledgement up to <paramref name="n"/>; returns whether Match advanced.</summary>
    internal bool MaybeUpdate(ulong n)
    {
        bool updated = false;
        if (Match < n)
        {
            Match = n;
            updated = true;
            ProbeSent = false;
        }

        Next = Math.Max(Next, n + 1);
        return updated;
    }

    /// <summary>Pipelining: entries up to n were sent, assume they will arrive.</summary>
    internal void OptimisticUpdate(ulong n) => Next = n + 1;

    /// <summary>
    /// A rejection of the append at <paramref name="rejected"/>; the follower hints its log
    /// matches no further than <paramref name="matchHint"/>. Returns false for a stale rejection.
    /// </summary>
    internal bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }

            Next = Match + 1;
            return true;
        }

        if (Next - 1 != rejected)
        {
            return false;
        }

        Next = Math.Max(Math.Min(rejected, matchHint + 1), 1);
        ProbeSent = false;
        return true;
    }

    public override string ToString()
    {
        string s = $"{State} match={Match} next={Next}";
        if (IsLearner)
        {
            s += " learner";
        }

        if (IsPaused)
        {
            s += " paused";
        }

        if (PendingSnapshot > 0)
        {
            s += $" pendingSnap={PendingSnapshot}";
        }

        if (!RecentActive)
        {
            s += " inactive";
        }

        if (Inflights.Count > 0)
        {
            s += $" inflight={Inflights.Count}";
            if (Inflights.Full)
            {
                s += "[full]";
            }
        }

        return s;
    }
}
