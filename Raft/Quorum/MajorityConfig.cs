using Outcome = TinyKv.Raft.Quorum.VoteResult;

namespace TinyKv.Raft.Quorum;

/// <summary>
/// A set of voters decided by simple majority (Raft §5.2, §5.3). Ids are kept sorted so that
/// every output is independent of hash order.
/// </summary>
public sealed class MajorityConfig
{
    private readonly ulong[] _ids;

    public MajorityConfig(IEnumerable<ulong> ids)
    {
        _ids = [.. ids.Distinct().Order()];
    }

    public IReadOnlyList<ulong> Ids => _ids;

    public int Count => _ids.Length;

    public bool Contains(ulong id) => Array.BinarySearch(_ids, id) >= 0;

    /// <summary>The size of a majority: n/2 + 1.</summary>
    public int Quorum => (_ids.Length / 2) + 1;

    /// <summary>
    /// The largest index acknowledged by a majority, given each voter's acknowledged index
    /// (Raft §5.3: the leader's commit candidate). 0 for an empty configuration.
    /// </summary>
    /// <param name="acked">The acknowledged index of a voter (0 if unknown).</param>
    /// <param name="scratch">A buffer of at least <see cref="Count"/> elements, so the hot path does not allocate.</param>
    public ulong CommittedIndex(Func<ulong, ulong> acked, Span<ulong> scratch)
    {
        int n = _ids.Length;
        if (n == 0)
        {
            return 0;
        }

        var values = scratch[..n];
        for (int i = 0; i < n; i++)
        {
            values[i] = acked(_ids[i]);
        }

        values.Sort();
        // Sorted ascending: the value at n - quorum is acknowledged by at least a quorum.
        return values[n - Quorum];
    }

    /// <summary>The election outcome given each voter's vote (true grant, false reject, absent not yet).</summary>
    public Outcome VoteResult(IReadOnlyDictionary<ulong, bool> votes)
    {
        if (_ids.Length == 0)
        {
            // An empty configuration wins every vote (etcd/raft convention for joint halves).
            return Outcome.Won;
        }

        int granted = 0;
        int missing = 0;
        foreach (ulong id in _ids)
        {
            if (!votes.TryGetValue(id, out bool v))
            {
                missing++;
            }
            else if (v)
            {
                granted++;
            }
        }

        int q = Quorum;
        if (granted >= q)
        {
            return Outcome.Won;
        }

        return granted + missing >= q ? Outcome.Pending : Outcome.Lost;
    }

    public override string ToString() => $"({string.Join(" ", _ids)})";
}
