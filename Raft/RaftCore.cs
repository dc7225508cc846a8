using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Log;
using TinyKv.Raft.Quorum;
using TinyKv.Raft.ReadOnly;
using TinyKv.Raft.Tracker;

namespace TinyKv.Raft;

/// <summary>
/// The raft state machine (etcd/raft's raft): messages and ticks in, messages and log changes
/// out. The role is a step function swapped on each transition (<see cref="StepFollower"/>,
/// <see cref="StepCandidate"/>, <see cref="StepLeader"/>); role-independent rules live in <see cref="Step"/>.
/// Not thread-safe; <see cref="RawNode"/> is the public API.
/// </summary>
internal sealed partial class RaftCore
{
    /// <summary>The id meaning "no node" (no vote, no leader).</summary>
    public const ulong None = 0;

    /// <summary>The vote context that marks a campaign started by leader transfer (it bypasses leases).</summary>
    internal static readonly ByteString CampaignTransfer = ByteString.CopyFromUtf8("CampaignTransfer");

    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Func<Message, StepResult> _stepLeader;
    private readonly Func<Message, StepResult> _stepCandidate;
    private readonly Func<Message, StepResult> _stepFollower;
    private Func<Message, StepResult> _step;
    private bool _tickIsHeartbeat;
    private readonly List<Message> _pendingReadIndexMessages = [];

    public RaftCore(RaftConfig config)
    {
        config.Validate();
        var storage = config.Storage!;
        Id = config.Id;
        _logger = config.Logger ?? NullLogger.Instance;
        _random = new Random(config.RandomSeed ?? unchecked((int)config.Id * 7919));
        RaftLog = new RaftLog(storage, config.MaxCommittedSizePerReady);
        var (hardState, confState) = storage.InitialState();
        MaxMsgSize = config.MaxSizePerMsg;
        Tracker = new ProgressTracker(config.MaxInflightMsgs);
        ElectionTimeout = config.ElectionTick;
        HeartbeatTimeout = config.HeartbeatTick;
        CheckQuorum = config.CheckQuorum;
        PreVote = config.PreVote;
        ReadOnly = new ReadOnlyQueue(config.ReadOnlyOption);
        _stepLeader = StepLeader;
        _stepCandidate = StepCandidate;
        _stepFollower = StepFollower;
        _step = _stepFollower;

        IEnumerable<ulong> voters = confState.Voters;
        IEnumerable<ulong> learners = confState.Learners;
        if (confState.Voters.Count == 0 && confState.Learners.Count == 0)
        {
            voters = config.Peers ?? [];
            learners = config.Learners ?? [];
        }
        else if (config.Peers is { Count: > 0 })
        {
            throw new RaftConfigException(["Peers must not be set when the storage already has a configuration"]);
        }

        ulong next = RaftLog.LastIndex() + 1;
        foreach (ulong id in voters)
        {
            Tracker.AddVoter(id, 0, next);
        }

        foreach (ulong id in learners)
        {
            if (Tracker.Voters.Contains(id))
            {
                throw new RaftConfigException([$"node {id} is in both the voters and the learners"]);
            }

            Tracker.AddLearner(id, 0, next);
        }

        if (!Ready.IsEmptyHardState(hardState))
        {
            LoadState(hardState);
        }

        if (config.Applied > 0)
        {
            RaftLog.AppliedTo(config.Applied);
        }

        BecomeFollower(Term, None);
    }

    public ulong Id { get; internal set; }

    /// <summary>The current term (Raft §5.1). Persisted in the HardState.</summary>
    public ulong Term { get; internal set; }

    /// <summary>The candidate voted for in <see cref="Term"/>, or <see cref="None"/>. Persisted.</summary>
    public ulong Vote { get; internal set; }

    public StateType State { get; private set; }

    /// <summary>The leader of <see cref="Term"/> as far as this node knows, or <see cref="None"/>.</summary>
    public ulong Lead { get; internal set; }

    public RaftLog RaftLog { get; }

    public ProgressTracker Tracker { get; private set; }

    public bool IsLearner { get; private set; }

    /// <summary>The outbox: messages produced since the last Ready.</summary>
    public List<Message> Messages { get; internal set; } = [];

    public List<ReadState> ReadStates { get; internal set; } = [];

    public ulong MaxMsgSize { get; }

    /// <summary>The peer leadership is being transferred to, or <see cref="None"/>.</summary>
    public ulong LeadTransferee { get; internal set; }

    /// <summary>
    /// The log index of the latest conf change proposed by this leader. Invariant: a new conf
    /// change is proposed only when it is &lt;= Applied (one change at a time, Raft thesis §4.1).
    /// </summary>
    public ulong PendingConfIndex { get; internal set; }

    public ReadOnlyQueue ReadOnly { get; private set; }

    /// <summary>Ticks since the last election timeout reset (leader: since the last CheckQuorum).</summary>
    public int ElectionElapsed { get; internal set; }

    public int HeartbeatElapsed { get; internal set; }

    public bool CheckQuorum { get; }

    public bool PreVote { get; }

    public int HeartbeatTimeout { get; }

    public int ElectionTimeout { get; }

    /// <summary>The randomized election timeout in [ElectionTimeout, 2·ElectionTimeout) (Raft §5.2).</summary>
    public int RandomizedElectionTimeout { get; internal set; }

    public SoftState SoftState() => new(Lead, State);

    public HardState HardState() => new() { Term = Term, Vote = Vote, Commit = RaftLog.Committed };

    /// <summary>Whether this node may become leader: it is a voter and has no snapshot pending.</summary>
    public bool Promotable() =>
        Tracker.Progress.TryGetValue(Id, out var pr) && !pr.IsLearner && !RaftLog.HasPendingSnapshot;

    /// <summary>Advances the logical clock by one tick.</summary>
    public void Tick()
    {
        if (_tickIsHeartbeat)
        {
            TickHeartbeat();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>Followers and candidates: campaign once the randomized election timeout passes.</summary>
    private void TickElection()
    {
        ElectionElapsed++;
        if (Promotable() && PastElectionTimeout())
        {
            ElectionElapsed = 0;
            Step(new Message { From = Id, MsgType = MessageType.MsgHup });
        }
    }

    /// <summary>Leaders: heartbeat every HeartbeatTimeout; check quorum and abort a stuck transfer every ElectionTimeout.</summary>
    private void TickHeartbeat()
    {
        HeartbeatElapsed++;
        ElectionElapsed++;
        if (ElectionElapsed >= ElectionTimeout)
        {
            ElectionElapsed = 0;
            if (CheckQuorum)
            {
                Step(new Message { From = Id, MsgType = MessageType.MsgCheckQuorum });
            }

            if (State == StateType.Leader && LeadTransferee != None)
            {
                AbortLeaderTransfer();
            }
        }

        if (State != StateType.Leader)
        {
            return;
        }

        if (HeartbeatElapsed >= HeartbeatTimeout)
        {
            HeartbeatElapsed = 0;
            Step(new Message { From = Id, MsgType = MessageType.MsgBeat });
        }
    }

    public bool PastElectionTimeout() => ElectionElapsed >= RandomizedElectionTimeout;

    internal void ResetRandomizedElectionTimeout() =>
        RandomizedElectionTimeout = ElectionTimeout + _random.Next(ElectionTimeout);

    public void BecomeFollower(ulong term, ulong lead)
    {
        _step = _stepFollower;
        Reset(term);
        _tickIsHeartbeat = false;
        Lead = lead;
        State = StateType.Follower;
        RaftEvents.BecameFollower(_logger, Id, Term);
    }

    public void BecomeCandidate()
    {
        if (State == StateType.Leader)
        {
            throw new RaftInvariantException("leader-never-becomes-candidate", $"{Id} is leader at term {Term}");
        }

        _step = _stepCandidate;
        Reset(Term + 1);
        _tickIsHeartbeat = false;
        Vote = Id;
        State = StateType.Candidate;
        RaftEvents.BecameCandidate(_logger, Id, Term);
    }

    /// <summary>Pre-vote (Raft thesis §9.6): ask whether we could win before disturbing anyone's term.</summary>
    public void BecomePreCandidate()
    {
        if (State == StateType.Leader)
        {
            throw new RaftInvariantException("leader-never-becomes-candidate", $"{Id} is leader at term {Term}");
        }

        // Term and Vote do not change: a pre-vote must not disturb the cluster.
        _step = _stepCandidate;
        Tracker.ResetVotes();
        _tickIsHeartbeat = false;
        Lead = None;
        State = StateType.PreCandidate;
        RaftEvents.BecamePreCandidate(_logger, Id, Term);
    }

    public void BecomeLeader()
    {
        if (State == StateType.Follower)
        {
            throw new RaftInvariantException("follower-never-becomes-leader", $"{Id} is follower at term {Term}");
        }

        _step = _stepLeader;
        Reset(Term);
        _tickIsHeartbeat = true;
        Lead = Id;
        State = StateType.Leader;
        var self = Tracker.Progress[Id];
        self.BecomeReplicate();
        self.RecentActive = true;

        // Conservatively treat every uncommitted entry as a possible conf change, so a new one
        // waits until they are applied.
        PendingConfIndex = RaftLog.LastIndex();

        // A no-op entry of the new term lets the leader commit entries of earlier terms (Raft §5.4.2, §8).
        if (!AppendEntry([new Entry()]))
        {
            throw new RaftInvariantException("leader-appends-noop", "empty entry was dropped");
        }

        RaftEvents.BecameLeader(_logger, Id, Term);
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = None;
        }

        Lead = None;
        ElectionElapsed = 0;
        HeartbeatElapsed = 0;
        ResetRandomizedElectionTimeout();
        AbortLeaderTransfer();
        Tracker.ResetVotes();
        ulong last = RaftLog.LastIndex();
        foreach (ulong id in Tracker.Ids)
        {
            var pr = Tracker.Progress[id];
            pr.ResetState(ProgressState.Probe);
            pr.Match = id == Id ? last : 0;
            pr.Next = last + 1;
            pr.RecentActive = id == Id;
        }

        PendingConfIndex = 0;
        _commitUnannounced = false;
        ReadOnly = new ReadOnlyQueue(ReadOnly.Option);
        _pendingReadIndexMessages.Clear();
    }

    /// <summary>Appends the leader's entries, stamping term and index, and counts its own acknowledgement.</summary>
    private bool AppendEntry(IList<Entry> entries)
    {
        ulong last = RaftLog.LastIndex();
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i].Term = Term;
            entries[i].Index = last + 1 + (ulong)i;
        }

        last = RaftLog.Append((IReadOnlyList<Entry>)entries);
        Tracker.Progress[Id].MaybeUpdate(last);
        MaybeCommit();
        return true;
    }

    /// <summary>Queues a message, stamping From and (for everything but votes and local requests) the current term.</summary>
    internal void Send(Message m)
    {
        if (m.From == None)
        {
            m.From = Id;
        }

        if (m.MsgType is MessageType.MsgRequestVote or MessageType.MsgRequestVoteResponse
            or MessageType.MsgRequestPreVote or MessageType.MsgRequestPreVoteResponse)
        {
            if (m.Term == 0)
            {
                throw new RaftInvariantException("vote-messages-carry-term", $"{m.MsgType} to {m.To} has term 0");
            }
        }
        else
        {
            if (m.Term != 0)
            {
                throw new RaftInvariantException("only-votes-preset-term", $"{m.MsgType} to {m.To} has term {m.Term} set");
            }

            // Proposals and read requests are forwarded as local messages (term 0).
            if (m.MsgType is not MessageType.MsgPropose and not MessageType.MsgReadIndex)
            {
                m.Term = Term;
            }
        }

        Messages.Add(m);
    }

    private void LoadState(HardState state)
    {
        if (state.Commit < RaftLog.Committed || state.Commit > RaftLog.LastIndex())
        {
            throw new RaftInvariantException("hardstate-commit-within-log", $"state.commit {state.Commit} is out of range [{RaftLog.Committed}, {RaftLog.LastIndex()}]");
        }

        RaftLog.CommitTo(state.Commit);
        Term = state.Term;
        Vote = state.Vote;
    }

    /// <summary>Whether the outbox has messages, or will have once <see cref="AnnounceCommit"/> runs.</summary>
    public bool HasMessages => Messages.Count > 0 || _commitUnannounced;

    /// <summary>Test hook: the outbox, drained (after <see cref="AnnounceCommit"/>, as <see cref="RawNode.Ready"/> does).</summary>
    internal List<Message> ReadMessages()
    {
        AnnounceCommit();
        var msgs = Messages;
        Messages = [];
        return msgs;
    }

    /// <summary>Test hook: make <paramref name="voters"/> the configuration (the test network resets every given raft's peers).</summary>
    internal void ResetTrackerForTest(IEnumerable<ulong> voters)
    {
        Tracker = new ProgressTracker(Tracker.MaxInflight);
        foreach (ulong id in voters)
        {
            Tracker.AddVoter(id, 0, RaftLog.LastIndex() + 1);
        }
    }
}
