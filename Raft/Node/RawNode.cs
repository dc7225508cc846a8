using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.ReadOnly;

namespace TinyKv.Raft;

/// <summary>
/// The public API of a raft node (etcd/raft's RawNode): a synchronous, single-threaded wrapper
/// around the state machine. The caller drives it: <see cref="Tick"/> on a timer,
/// <see cref="Step"/> for each message received, and the Ready loop described in Raft/README.md
/// (<see cref="HasReady"/>, <see cref="Ready"/>, persist, send, apply, <see cref="Advance"/>).
/// </summary>
/// <remarks>Not thread-safe: one caller at a time (the owning actor).</remarks>
public sealed class RawNode
{
    private SoftState _prevSoftState;
    private readonly HardState _prevHardState;

    /// <summary>The outbox of an advanced Ready, reused for the next round's messages.</summary>
    private List<Message>? _spareMessages;

    /// <summary>The entries of the proposal being stepped; the log keeps the entries, not this list.</summary>
    private readonly List<Entry> _proposal = [];

    /// <summary>The last advanced Ready, reused (with its lists) by the next <see cref="Ready"/> call.</summary>
    private Ready? _spareReady;

    /// <summary>Creates a node from its configuration and the state in its storage.</summary>
    /// <exception cref="RaftConfigException">The configuration is invalid.</exception>
    public RawNode(RaftConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Raft = new RaftCore(config);
        _prevSoftState = Raft.SoftState();
        _prevHardState = Raft.HardState();
    }

    internal RaftCore Raft { get; }

    /// <summary>Advances the logical clock: elections and heartbeats are counted in ticks.</summary>
    public void Tick() => Raft.Tick();

    /// <summary>Starts an election now (pre-vote first if enabled).</summary>
    public StepResult Campaign() => Raft.Step(new Message { MsgType = MessageType.MsgHup });

    /// <summary>Proposes data to be appended to the log; forwarded to the leader from a follower.</summary>
    /// <returns><see cref="StepResult.ProposalDropped"/> when there is no leader, a transfer is in progress, or this leader was removed.</returns>
    public StepResult Propose(ReadOnlySpan<byte> data) => Propose(ByteString.CopyFrom(data));

    /// <inheritdoc cref="Propose(ReadOnlySpan{byte})"/>
    public StepResult Propose(ByteString data)
    {
        _proposal.Add(new Entry { Data = data });
        return StepProposal();
    }

    /// <summary>Proposes several entries at once (one proposal, one broadcast).</summary>
    public StepResult ProposeBatch(IEnumerable<ByteString> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is IReadOnlyList<ByteString> list)
        {
            // Indexing avoids the boxed enumerator of an array or list.
            for (int i = 0; i < list.Count; i++)
            {
                _proposal.Add(new Entry { Data = list[i] });
            }
        }
        else
        {
            foreach (var d in data)
            {
                _proposal.Add(new Entry { Data = d });
            }
        }

        return _proposal.Count == 0 ? StepResult.Ok : StepProposal();
    }

    /// <summary>
    /// Steps the entries gathered in <see cref="_proposal"/> as one proposal, then clears it. A
    /// leader appends them directly, exactly as stepping a local MsgPropose would; any other role
    /// gets the message (to forward or drop).
    /// </summary>
    private StepResult StepProposal()
    {
        try
        {
            if (Raft.State == StateType.Leader)
            {
                return Raft.ProposeAsLeader(_proposal);
            }

            var m = new Message { MsgType = MessageType.MsgPropose, From = Raft.Id };
            m.Entries.AddRange(_proposal);
            return Raft.Step(m);
        }
        finally
        {
            _proposal.Clear();
        }
    }

    /// <summary>
    /// Proposes a membership change. At most one may be pending: while one is uncommitted or
    /// unapplied, the leader replaces a new one with an empty normal entry.
    /// </summary>
    public StepResult ProposeConfChange(ConfChange cc)
    {
        ArgumentNullException.ThrowIfNull(cc);
        _proposal.Add(new Entry { EntryType = EntryType.EntryConfChange, Data = cc.ToByteString() });
        return StepProposal();
    }

    /// <summary>Applies a committed conf change (call it when applying its entry) and returns the new configuration.</summary>
    public ConfState ApplyConfChange(ConfChange cc)
    {
        ArgumentNullException.ThrowIfNull(cc);
        return Raft.ApplyConfChange(cc);
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="transferee"/> (thesis §3.10).</summary>
    public void TransferLeader(ulong transferee) =>
        Raft.Step(new Message { MsgType = MessageType.MsgTransferLeader, From = transferee });

    /// <summary>
    /// Requests a read index for a linearizable read identified by <paramref name="requestContext"/>;
    /// the answer arrives in <see cref="Ready.ReadStates"/>. Unanswered if leadership is lost.
    /// </summary>
    public void ReadIndex(ByteString requestContext)
    {
        var m = new Message { MsgType = MessageType.MsgReadIndex };
        m.Entries.Add(new Entry { Data = requestContext });
        Raft.Step(m);
    }

    /// <summary>Processes a message received from a peer.</summary>
    /// <returns><see cref="StepResult.StepLocalMessage"/> for a local-only message type;
    /// <see cref="StepResult.StepPeerNotFound"/> for a response from a non-member.</returns>
    public StepResult Step(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (IsLocalMessage(m.MsgType))
        {
            return StepResult.StepLocalMessage;
        }

        if (IsResponseMessage(m.MsgType) && !Raft.Tracker.Progress.ContainsKey(m.From))
        {
            return StepResult.StepPeerNotFound;
        }

        return Raft.Step(m);
    }

    /// <summary>Tells the leader that sending the last snapshot to <paramref name="id"/> finished or failed.</summary>
    public void ReportSnapshot(ulong id, bool failed) =>
        Raft.Step(new Message { MsgType = MessageType.MsgSnapStatus, From = id, Reject = failed });

    /// <summary>Tells the leader that <paramref name="id"/> could not be reached, so it stops pipelining to it.</summary>
    public void ReportUnreachable(ulong id) =>
        Raft.Step(new Message { MsgType = MessageType.MsgUnreachable, From = id });

    /// <summary>Whether a <see cref="Ready"/> has anything to do.</summary>
    public bool HasReady()
    {
        var r = Raft;
        if (r.Lead != _prevSoftState.Lead || r.State != _prevSoftState.RaftState)
        {
            return true;
        }

        if (r.Term != _prevHardState.Term || r.Vote != _prevHardState.Vote || r.RaftLog.Committed != _prevHardState.Commit)
        {
            if (!(r.Term == 0 && r.Vote == 0 && r.RaftLog.Committed == 0))
            {
                return true;
            }
        }

        return r.RaftLog.HasPendingSnapshot
            || r.HasMessages
            || r.RaftLog.Unstable.Entries.Count > 0
            || r.RaftLog.HasNextEntries()
            || r.ReadStates.Count > 0;
    }

    /// <summary>
    /// The work of this round. Call <see cref="Advance"/> with it once it is processed. Until
    /// then a second Ready repeats the unstable entries and committed entries (messages,
    /// read states and the soft state are handed out once).
    /// </summary>
    /// <remarks>
    /// The Ready and its lists are valid until the next <see cref="Ready"/> call after
    /// <see cref="Advance"/>: the node then reuses them (the Messages list becomes its outbox).
    /// Send (or copy) what must outlive that; the Entry and Message objects stay the caller's.
    /// </remarks>
    public Ready Ready()
    {
        var r = Raft;
        r.AnnounceCommit();
        var rd = _spareReady ?? new Ready();
        _spareReady = null;
        rd.EntriesBuffer.Clear();
        r.RaftLog.UnstableEntries(rd.EntriesBuffer);
        rd.CommittedEntriesBuffer.Clear();
        r.RaftLog.NextEntries(rd.CommittedEntriesBuffer);

        bool softChanged = r.Lead != _prevSoftState.Lead || r.State != _prevSoftState.RaftState;
        bool hardChanged = r.Term != _prevHardState.Term || r.Vote != _prevHardState.Vote || r.RaftLog.Committed != _prevHardState.Commit;
        rd.SoftState = softChanged ? r.SoftState() : null;
        var hs = rd.HardState;
        hs.Term = hardChanged ? r.Term : 0;
        hs.Vote = hardChanged ? r.Vote : 0;
        hs.Commit = hardChanged ? r.RaftLog.Committed : 0;
        rd.Snapshot = r.RaftLog.Unstable.Snapshot;
        rd.MustSync = rd.EntriesBuffer.Count != 0 || r.Vote != _prevHardState.Vote || r.Term != _prevHardState.Term;

        if (rd.SoftState is not null)
        {
            _prevSoftState = rd.SoftState;
        }

        if (r.ReadStates.Count == 0)
        {
            rd.ReadStates = [];
        }
        else
        {
            rd.ReadStates = r.ReadStates;
            r.ReadStates = [];
        }

        if (r.Messages.Count == 0)
        {
            rd.Messages = [];
        }
        else
        {
            rd.Messages = r.Messages;
            var spare = _spareMessages ?? [];
            _spareMessages = null;
            spare.Clear();
            r.Messages = spare;
        }

        return rd;
    }

    /// <summary>
    /// Acknowledges that <paramref name="rd"/> was processed: its entries and HardState are
    /// stable, its snapshot applied, its committed entries applied.
    /// </summary>
    public void Advance(Ready rd)
    {
        ArgumentNullException.ThrowIfNull(rd);
        if (rd.Messages is List<Message> { Count: > 0 } sent && !ReferenceEquals(sent, Raft.Messages))
        {
            _spareMessages = sent;
        }

        if (!TinyKv.Raft.Ready.IsEmptyHardState(rd.HardState))
        {
            _prevHardState.Term = rd.HardState.Term;
            _prevHardState.Vote = rd.HardState.Vote;
            _prevHardState.Commit = rd.HardState.Commit;
        }

        var log = Raft.RaftLog;
        if (rd.CommittedEntries.Count > 0)
        {
            log.AppliedTo(rd.CommittedEntries[^1].Index);
        }
        else if (rd.Snapshot is { Metadata.Index: > 0 } snapshot && snapshot.Metadata.Index > log.Applied)
        {
            log.AppliedTo(snapshot.Metadata.Index);
        }

        if (rd.Entries.Count > 0)
        {
            var last = rd.Entries[^1];
            log.StableTo(last.Index, last.Term);
        }

        if (rd.Snapshot is { Metadata.Index: > 0 } snap)
        {
            log.StableSnapTo(snap.Metadata.Index);
        }

        _spareReady = rd;
    }

    /// <summary>The node's state, including every peer's progress when leader.</summary>
    public Status Status()
    {
        var r = Raft;
        var progress = new SortedDictionary<ulong, ProgressStatus>();
        if (r.State == StateType.Leader)
        {
            foreach (ulong id in r.Tracker.Ids)
            {
                var pr = r.Tracker.Progress[id];
                progress[id] = new ProgressStatus(pr.Match, pr.Next, pr.State, pr.IsLearner, pr.RecentActive, pr.PendingSnapshot);
            }
        }

        return new Status(r.Id, r.HardState(), r.SoftState(), r.RaftLog.Applied, r.LeadTransferee, progress);
    }

    internal static bool IsLocalMessage(MessageType t) => t is MessageType.MsgHup or MessageType.MsgBeat
        or MessageType.MsgUnreachable or MessageType.MsgSnapStatus or MessageType.MsgCheckQuorum;

    internal static bool IsResponseMessage(MessageType t) => t is MessageType.MsgAppendResponse
        or MessageType.MsgRequestVoteResponse or MessageType.MsgHeartbeatResponse or MessageType.MsgUnreachable
        or MessageType.MsgRequestPreVoteResponse;
}
