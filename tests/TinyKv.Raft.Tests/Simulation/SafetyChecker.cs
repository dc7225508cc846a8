using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Tests.Simulation;

/// <summary>
/// The Raft safety properties (paper figure 3), checked against everything observed so far:
/// Election Safety, Log Matching, Leader Completeness and State Machine Safety.
/// </summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, (ulong Term, ulong ObservedAtTerm)> _committed = [];
    private readonly Dictionary<ulong, (ulong Term, string Data)> _applied = [];
    private readonly Dictionary<ulong, ulong> _commitCheckedUpTo = [];
    private readonly Dictionary<(ulong Id, ulong Term), ulong> _completenessCheckedUpTo = [];
    private readonly Dictionary<string, ulong> _readsIssuedAfter = [];
    private ulong _maxCommitted;

    public void Check(IReadOnlyList<SimNode> nodes)
    {
        var up = nodes.Where(n => n.IsUp).ToList();
        foreach (var n in up)
        {
            var r = n.Raft;
            // Election Safety: at most one leader per term.
            if (r.State == StateType.Leader)
            {
                if (_leaderOfTerm.TryGetValue(r.Term, out ulong other) && other != n.Id)
                {
                    throw new SafetyViolation($"election safety: {other} and {n.Id} both led term {r.Term}");
                }

                _leaderOfTerm[r.Term] = n.Id;
            }

            // Committed entries never change.
            var log = r.RaftLog;
            ulong from = Math.Max(log.FirstIndex(), _commitCheckedUpTo.GetValueOrDefault(n.Id) + 1);
            for (ulong i = from; i <= log.Committed; i++)
            {
                ulong t = log.ZeroTermOnCompacted(i);
                if (_committed.TryGetValue(i, out var c))
                {
                    if (c.Term != t)
                    {
                        throw new SafetyViolation($"committed entry {i} changed term from {c.Term} to {t} on node {n.Id}");
                    }
                }
                else
                {
                    _committed[i] = (t, r.Term);
                    _maxCommitted = Math.Max(_maxCommitted, i);
                }
            }

            _commitCheckedUpTo[n.Id] = Math.Max(_commitCheckedUpTo.GetValueOrDefault(n.Id), log.Committed);
        }

        // Log Matching: same index and term imply identical prefixes.
        for (int a = 0; a < up.Count; a++)
        {
            for (int b = a + 1; b < up.Count; b++)
            {
                CheckLogMatching(up[a], up[b]);
            }
        }

        // Leader Completeness: a leader of a term after an entry's commit has that entry.
        foreach (var n in up.Where(n => n.Raft.State == StateType.Leader))
        {
            var log = n.Raft.RaftLog;
            var key = (n.Id, n.Raft.Term);
            ulong start = Math.Max(_completenessCheckedUpTo.GetValueOrDefault(key), log.FirstIndex() - 1) + 1;
            _completenessCheckedUpTo[key] = Math.Max(start - 1, _maxCommitted);
            for (ulong index = start; index <= _maxCommitted; index++)
            {
                if (_committed.TryGetValue(index, out var c) && n.Raft.Term > c.ObservedAtTerm)
                {
                    var (term, observedAt) = c;
                    ulong have = index > log.LastIndex() ? 0 : log.ZeroTermOnCompacted(index);
                    if (have != term)
                    {
                        throw new SafetyViolation($"leader completeness: leader {n.Id} of term {n.Raft.Term} lacks entry {index}@{term} committed by term {observedAt} (has term {have})");
                    }
                }
            }
        }
    }

    /// <summary>State Machine Safety: every server applies the same entry at a given index.</summary>
    public void OnApply(SimNode n, Entry e)
    {
        var value = (e.Term, e.EntryType + ":" + e.Data.ToBase64());
        if (_applied.TryGetValue(e.Index, out var prev))
        {
            if (prev != value)
            {
                throw new SafetyViolation($"state machine safety: node {n.Id} applied {e.Index}@{e.Term} but {prev.Term} was applied elsewhere");
            }
        }
        else
        {
            _applied[e.Index] = value;
        }
    }

    /// <summary>Records a ReadIndex request: its answer must cover everything committed before now.</summary>
    public void OnReadRequested(string context) => _readsIssuedAfter[context] = _maxCommitted;

    /// <summary>Linearizable reads (Raft thesis §6.4): the read index is at least the commit index when the read began.</summary>
    public void OnReadState(SimNode n, ReadOnly.ReadState rs)
    {
        string ctx = rs.RequestCtx.ToStringUtf8();
        if (_readsIssuedAfter.TryGetValue(ctx, out ulong committedBefore) && rs.Index < committedBefore)
        {
            throw new SafetyViolation($"read index: node {n.Id} answered read {ctx} at index {rs.Index}, but {committedBefore} was committed before the read began");
        }
    }

    public void OnSnapshot(SimNode n, Snapshot s)
    {
        var md = s.Metadata;
        if (_applied.TryGetValue(md.Index, out var prev) && prev.Term != md.Term)
        {
            throw new SafetyViolation($"state machine safety: node {n.Id} installed snapshot {md.Index}@{md.Term} but {prev.Term} was applied elsewhere");
        }
    }

    private static void CheckLogMatching(SimNode x, SimNode y)
    {
        var lx = x.Raft.RaftLog;
        var ly = y.Raft.RaftLog;
        // Below both commit indexes the entries are checked against the committed record.
        ulong lo = Math.Max(Math.Max(lx.FirstIndex(), ly.FirstIndex()), Math.Min(lx.Committed, ly.Committed));
        ulong hi = Math.Min(lx.LastIndex(), ly.LastIndex());
        bool matched = false;
        for (ulong i = hi; i >= lo && i > 0; i--)
        {
            ulong tx = lx.ZeroTermOnCompacted(i);
            ulong ty = ly.ZeroTermOnCompacted(i);
            if (matched && tx != ty)
            {
                throw new SafetyViolation($"log matching: nodes {x.Id} and {y.Id} agree on a later entry but differ at {i} ({tx} vs {ty})");
            }

            matched |= tx == ty;
        }
    }
}

internal sealed class SafetyViolation(string message) : Exception(message);
