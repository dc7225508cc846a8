using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Quorum;

namespace TinyKv.Raft.Tracker;

/// <summary>
/// The configuration (voters, learners), the leader's <see cref="Progress"/> of every member,
/// and the votes of the current election.
/// </summary>
/// <remarks>
/// Invariant: a Progress exists exactly for each voter and each learner; no id is both.
/// Iteration is always in ascending id order so outputs never depend on hash order.
/// </remarks>
public sealed class ProgressTracker
{
    private readonly Dictionary<ulong, Progress> _progress = [];
    private readonly Dictionary<ulong, bool> _votes = [];
    private readonly Func<ulong, ulong> _matchOf;
    private ulong[] _ids = [];
    private ulong[] _scratch = [];

    public ProgressTracker(int maxInflight)
    {
        MaxInflight = maxInflight;
        Voters = new MajorityConfig([]);
        _matchOf = id => _progress.TryGetValue(id, out var pr) ? pr.Match : 0;
    }

    public int MaxInflight { get; }

    public MajorityConfig Voters { get; private set; }

    public IReadOnlyList<ulong> Learners => [.. _ids.Where(id => _progress[id].IsLearner)];

    public IReadOnlyDictionary<ulong, Progress> Progress => _progress;

    public IReadOnlyDictionary<ulong, bool> Votes => _votes;

    /// <summary>Every member (voters and learners) in ascending order.</summary>
    public IReadOnlyList<ulong> Ids => _ids;

    public bool IsSingleton => Voters.Count == 1;

    public ConfState ConfState()
    {
        var cs = new ConfState();
        cs.Voters.AddRange(Voters.Ids);
        cs.Learners.AddRange(Learners);
        return cs;
    }

    /// <summary>The largest index replicated on a majority of voters.</summary>
    public ulong Committed() => Voters.CommittedIndex(_matchOf, _scratch);

    /// <summary>Whether a quorum of voters was recently active (CheckQuorum, Raft thesis §6.2).</summary>
    public bool QuorumActive()
    {
        var active = new Dictionary<ulong, bool>();
        foreach (ulong id in Voters.Ids)
        {
            active[id] = _progress[id].RecentActive;
        }

        return Voters.VoteResult(active) == Quorum.VoteResult.Won;
    }

    public void ResetVotes() => _votes.Clear();

    /// <summary>Records a vote; only the first vote of each peer counts.</summary>
    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteResult Result) TallyVotes()
    {
        int granted = 0;
        int rejected = 0;
        foreach (ulong id in Voters.Ids)
        {
            if (_votes.TryGetValue(id, out bool v))
            {
                if (v)
                {
                    granted++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        return (granted, rejected, Voters.VoteResult(_votes));
    }

    /// <summary>Adds a voter, or promotes a learner; a no-op for an existing voter.</summary>
    internal void AddVoter(ulong id, ulong match, ulong next)
    {
        if (_progress.TryGetValue(id, out var pr))
        {
            pr.IsLearner = false;
        }
        else
        {
            _progress[id] = new Progress(match, next, MaxInflight, isLearner: false) { RecentActive = true };
        }

        Rebuild();
    }

    /// <summary>Adds a learner, or demotes a voter; a no-op for an existing learner.</summary>
    internal void AddLearner(ulong id, ulong match, ulong next)
    {
        if (_progress.TryGetValue(id, out var pr))
        {
            pr.IsLearner = true;
        }
        else
        {
            _progress[id] = new Progress(match, next, MaxInflight, isLearner: true) { RecentActive = true };
        }

        Rebuild();
    }

    internal void Remove(ulong id)
    {
        _progress.Remove(id);
        _votes.Remove(id);
        Rebuild();
    }

    private void Rebuild()
    {
        _ids = [.. _progress.Keys.Order()];
        Voters = new MajorityConfig(_ids.Where(id => !_progress[id].IsLearner));
        _scratch = new ulong[Voters.Count];
    }
}
