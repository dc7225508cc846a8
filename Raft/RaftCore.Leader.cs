using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Quorum;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tracker;

namespace TinyKv.Raft;

/// <summary>The leader role: proposals, replication (Raft §5.3), commit (§5.4.2), heartbeats.</summary>
internal sealed partial class RaftCore
{
    private readonly List<Entry> _appendScratch = [];

    /// <summary>Whether the commit index advanced since the outbox was last taken (see <see cref="AnnounceCommit"/>).</summary>
    private bool _commitUnannounced;

    private StepResult StepLeader(Message m)
    {
        switch (m.MsgType)
        {
            case MessageType.MsgBeat:
                BroadcastHeartbeat();
                return StepResult.Ok;

            case MessageType.MsgCheckQuorum:
                if (Tracker.Progress.TryGetValue(Id, out var self))
                {
                    self.RecentActive = true;
                }

                if (!Tracker.QuorumActive())
                {
                    RaftEvents.QuorumNotActive(_logger, Id);
                    BecomeFollower(Term, None);
                }

                foreach (ulong id in Tracker.Ids)
                {
                    if (id != Id)
                    {
                        Tracker.Progress[id].RecentActive = false;
                    }
                }

                return StepResult.Ok;

            case MessageType.MsgPropose:
                return ProposeAsLeader(m.Entries);

            case MessageType.MsgReadIndex:
                HandleReadIndex(m);
                return StepResult.Ok;
        }

        if (!Tracker.Progress.TryGetValue(m.From, out var pr))
        {
            RaftEvents.Dropped(_logger, Id, m.MsgType, Term, $"no progress for {m.From}");
            return StepResult.Ok;
        }

        switch (m.MsgType)
        {
            case MessageType.MsgAppendResponse:
                HandleAppendResponse(m, pr);
                break;

            case MessageType.MsgHeartbeatResponse:
                HandleHeartbeatResponse(m, pr);
                break;

            case MessageType.MsgSnapStatus:
                if (pr.State != ProgressState.Snapshot)
                {
                    break;
                }

                if (m.Reject)
                {
                    // The snapshot failed: forget it so the next probe starts from Match.
                    pr.PendingSnapshot = 0;
                }

                pr.BecomeProbe();
                // Wait for a heartbeat response (or the append response to the snapshot) before probing.
                pr.ProbeSent = true;
                break;

            case MessageType.MsgUnreachable:
                // Appends may have been lost: stop pipelining and probe.
                if (pr.State == ProgressState.Replicate)
                {
                    pr.BecomeProbe();
                }

                break;

            case MessageType.MsgTransferLeader:
                HandleTransferLeader(m, pr);
                break;
        }

        return StepResult.Ok;
    }

    /// <summary>
    /// A proposal at the leader (a local or forwarded MsgPropose): appends and broadcasts the
    /// entries, stamping their term and index. <paramref name="entries"/> may be changed (a
    /// second pending conf change becomes an empty entry) and is not kept.
    /// </summary>
    internal StepResult ProposeAsLeader(IList<Entry> entries)
    {
        if (State != StateType.Leader)
        {
            throw new RaftInvariantException("leader-proposes", $"{Id} is {State} at term {Term}");
        }

        if (entries.Count == 0)
        {
            throw new RaftInvariantException("proposal-has-entries", $"{Id} stepped an empty MsgPropose");
        }

        if (!Tracker.Progress.ContainsKey(Id))
        {
            RaftEvents.Dropped(_logger, Id, MessageType.MsgPropose, Term, "leader was removed from the configuration");
            return StepResult.ProposalDropped;
        }

        if (LeadTransferee != None)
        {
            RaftEvents.Dropped(_logger, Id, MessageType.MsgPropose, Term, $"transferring leadership to {LeadTransferee}");
            return StepResult.ProposalDropped;
        }

        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].EntryType != EntryType.EntryConfChange)
            {
                continue;
            }

            if (PendingConfIndex > RaftLog.Applied)
            {
                // One change at a time (Raft thesis §4.1): the second becomes a no-op entry.
                entries[i] = new Entry { EntryType = EntryType.EntryNormal };
            }
            else
            {
                PendingConfIndex = RaftLog.LastIndex() + (ulong)i + 1;
            }
        }

        AppendEntry(entries);
        BroadcastAppend();
        return StepResult.Ok;
    }

    private void HandleAppendResponse(Message m, Progress pr)
    {
        pr.RecentActive = true;
        if (m.Reject)
        {
            ulong nextProbe = m.RejectHint;
            if (m.LogTerm > 0)
            {
                // The follower's hint (index, term): skip our entries of terms above its term.
                nextProbe = RaftLog.FindConflictByTerm(m.RejectHint, m.LogTerm);
            }

            if (pr.MaybeDecrTo(m.Index, nextProbe))
            {
                if (pr.State == ProgressState.Replicate)
                {
                    pr.BecomeProbe();
                }

                SendAppend(m.From);
            }

            return;
        }

        bool wasPaused = pr.IsPaused;
        if (!pr.MaybeUpdate(m.Index))
        {
            return;
        }

        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot when pr.Match >= pr.PendingSnapshot:
                // The snapshot (or later entries) arrived: resume normal replication.
                pr.BecomeProbe();
                pr.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                pr.Inflights.FreeLE(m.Index);
                break;
        }

        if (MaybeCommit())
        {
            OnCommitAdvanced();
        }
        else if (wasPaused)
        {
            // The follower was paused by flow control; the acknowledgement reopened the window.
            SendAppend(m.From);
        }

        // Fill the inflight window.
        while (MaybeSendAppend(m.From, sendIfEmpty: false))
        {
        }

        if (m.From == LeadTransferee && pr.Match == RaftLog.LastIndex())
        {
            // The transferee caught up (thesis §3.10): hand over.
            SendTimeoutNow(m.From);
        }
    }

    private void HandleHeartbeatResponse(Message m, Progress pr)
    {
        pr.RecentActive = true;
        pr.ProbeSent = false;

        // The follower is alive: free one inflight slot so a full window cannot stall forever.
        if (pr.State == ProgressState.Replicate && pr.Inflights.Full)
        {
            pr.Inflights.FreeFirstOne();
        }

        if (pr.Match < RaftLog.LastIndex())
        {
            SendAppend(m.From);
        }

        if (ReadOnly.Option != ReadOnlyOption.Safe || m.Context.IsEmpty)
        {
            return;
        }

        var acks = ReadOnly.RecvAck(m.From, m.Context);
        if (acks is null || Tracker.Voters.VoteResult(acks) != VoteResult.Won)
        {
            return;
        }

        foreach (var status in ReadOnly.Advance(m))
        {
            RespondToReadIndex(status.Request, status.Index);
        }
    }

    private void HandleTransferLeader(Message m, Progress pr)
    {
        if (pr.IsLearner)
        {
            RaftEvents.Dropped(_logger, Id, m.MsgType, Term, $"{m.From} is a learner");
            return;
        }

        ulong transferee = m.From;
        if (LeadTransferee != None)
        {
            if (LeadTransferee == transferee)
            {
                return;
            }

            AbortLeaderTransfer();
        }

        if (transferee == Id)
        {
            // Already leader: a transfer to self only cancels a pending one.
            return;
        }

        RaftEvents.TransferringLeadership(_logger, Id, Term, transferee);
        // The transfer must finish within one election timeout or it is aborted.
        ElectionElapsed = 0;
        LeadTransferee = transferee;
        if (pr.Match == RaftLog.LastIndex())
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            SendAppend(transferee);
        }
    }

    internal void SendTimeoutNow(ulong to) => Send(new Message { To = to, MsgType = MessageType.MsgTimeoutNow });

    internal void AbortLeaderTransfer()
    {
        if (LeadTransferee != None)
        {
            RaftEvents.AbortedTransfer(_logger, Id, Term, LeadTransferee);
        }

        LeadTransferee = None;
    }

    /// <summary>Commits the largest index replicated on a quorum, if it is of the current term (§5.4.2).</summary>
    internal bool MaybeCommit() => RaftLog.MaybeCommit(Tracker.Committed(), Term);

    /// <summary>
    /// The leader's commit index advanced: pending reads may now be answered (§6.4), and every
    /// follower must learn the new index (§5.3), which <see cref="AnnounceCommit"/> does when the
    /// outbox is taken.
    /// </summary>
    private void OnCommitAdvanced()
    {
        ReleasePendingReadIndexMessages();
        _commitUnannounced = true;
    }

    /// <summary>
    /// Tells each follower a commit index that advanced since the outbox was last taken. Called
    /// just before the outbox is handed out (<see cref="RawNode.Ready"/>, <see cref="ReadMessages"/>),
    /// so that many acknowledgements in one round cost one append per follower, and none for a
    /// follower that an append queued since already tells: every MsgAppend carries the leader's
    /// commit at the time it was queued. The others get <see cref="SendAppend"/>, which sends
    /// their pending entries or an empty append, subject to flow control as any append.
    /// </summary>
    internal void AnnounceCommit()
    {
        if (!_commitUnannounced)
        {
            return;
        }

        _commitUnannounced = false;
        ulong commit = RaftLog.Committed;
        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id && !OutboxTellsCommit(id, commit))
            {
                SendAppend(id);
            }
        }
    }

    /// <summary>Whether the outbox holds an append to <paramref name="to"/> carrying at least <paramref name="commit"/>.</summary>
    private bool OutboxTellsCommit(ulong to, ulong commit)
    {
        var outbox = Messages;
        for (int i = outbox.Count - 1; i >= 0; i--)
        {
            var m = outbox[i];
            if (m.To == to && m.MsgType == MessageType.MsgAppend && m.Commit >= commit)
            {
                return true;
            }
        }

        return false;
    }

    internal void SendAppend(ulong to) => MaybeSendAppend(to, sendIfEmpty: true);

    /// <summary>
    /// Sends entries from the follower's Next (or a snapshot if they are compacted), unless flow
    /// control pauses it or there is nothing to send and <paramref name="sendIfEmpty"/> is false.
    /// </summary>
    internal bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        var pr = Tracker.Progress[to];
        if (pr.IsPaused)
        {
            return false;
        }

        var errTerm = RaftLog.TryTerm(pr.Next - 1, out ulong term);
        var entries = _appendScratch;
        entries.Clear();
        var errEntries = RaftLog.Entries(pr.Next, MaxMsgSize, entries);
        if (entries.Count == 0 && !sendIfEmpty)
        {
            return false;
        }

        var m = new Message { To = to };

        if (errTerm != StorageError.None || errEntries != StorageError.None)
        {
            // The entries the follower needs are compacted: send a snapshot (§7).
            if (!pr.RecentActive)
            {
                return false;
            }

            var errSnap = RaftLog.Snapshot(out var snapshot);
            if (errSnap == StorageError.SnapshotTemporarilyUnavailable)
            {
                return false;
            }

            if (errSnap != StorageError.None)
            {
                throw new RaftInvariantException("snapshot-readable", errSnap.ToString());
            }

            if (Ready.IsEmptySnapshot(snapshot))
            {
                throw new RaftInvariantException("snapshot-available-after-compaction", $"need a snapshot for {to} at next {pr.Next}, storage has none");
            }

            m.MsgType = MessageType.MsgSnapshot;
            m.Snapshot = snapshot;
            pr.BecomeSnapshot(snapshot.Metadata.Index);
        }
        else
        {
            m.MsgType = MessageType.MsgAppend;
            m.Index = pr.Next - 1;
            m.LogTerm = term;
            // Exact capacity, and Add rather than AddRange: RepeatedField.AddRange boxes an enumerator.
            m.Entries.Capacity = entries.Count;
            for (int i = 0; i < entries.Count; i++)
            {
                m.Entries.Add(entries[i]);
            }

            m.Commit = RaftLog.Committed;
            if (entries.Count != 0)
            {
                switch (pr.State)
                {
                    case ProgressState.Replicate:
                        ulong last = entries[^1].Index;
                        pr.OptimisticUpdate(last);
                        pr.Inflights.Add(last);
                        break;
                    case ProgressState.Probe:
                        pr.ProbeSent = true;
                        break;
                    default:
                        throw new RaftInvariantException("no-appends-while-snapshotting", $"{to} is in state {pr.State}");
                }
            }
        }

        entries.Clear();

        Send(m);
        return true;
    }

    internal void BroadcastAppend()
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendAppend(id);
            }
        }
    }

    internal void BroadcastHeartbeat() => BroadcastHeartbeat(ReadOnly.LastPendingRequestCtx() ?? ByteString.Empty);

    private void BroadcastHeartbeat(ByteString context)
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendHeartbeat(id, context);
            }
        }
    }

    /// <summary>
    /// A heartbeat carries min(Match, Committed): the follower may not have the leader's
    /// committed entries yet, and must never commit past its own log.
    /// </summary>
    private void SendHeartbeat(ulong to, ByteString context)
    {
        ulong commit = Math.Min(Tracker.Progress[to].Match, RaftLog.Committed);
        Send(new Message { To = to, MsgType = MessageType.MsgHeartbeat, Commit = commit, Context = context });
    }
}
