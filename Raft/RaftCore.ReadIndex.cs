using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.ReadOnly;

namespace TinyKv.Raft;

/// <summary>ReadIndex (Raft thesis §6.4): linearizable reads without writing the log.</summary>
internal sealed partial class RaftCore
{
    private void HandleReadIndex(Message m)
    {
        if (Tracker.IsSingleton)
        {
            RespondToReadIndex(m, RaftLog.Committed);
            return;
        }

        // Until the leader commits an entry of its own term it does not know the latest
        // commit index (§6.4 step 1): hold the request until then.
        if (!CommittedEntryInCurrentTerm())
        {
            _pendingReadIndexMessages.Add(m);
            return;
        }

        SendReadIndexResponse(m);
    }

    private void SendReadIndexResponse(Message m)
    {
        switch (ReadOnly.Option)
        {
            case ReadOnlyOption.Safe:
                ReadOnly.AddRequest(RaftLog.Committed, m);
                // The leader's own acknowledgement counts towards the quorum.
                ReadOnly.RecvAck(Id, m.Entries[0].Data);
                BroadcastHeartbeat(m.Entries[0].Data);
                break;
            case ReadOnlyOption.LeaseBased:
                RespondToReadIndex(m, RaftLog.Committed);
                break;
        }
    }

    private bool CommittedEntryInCurrentTerm() => RaftLog.ZeroTermOnCompacted(RaftLog.Committed) == Term;

    private void ReleasePendingReadIndexMessages()
    {
        if (_pendingReadIndexMessages.Count == 0 || !CommittedEntryInCurrentTerm())
        {
            return;
        }

        var pending = _pendingReadIndexMessages.ToArray();
        _pendingReadIndexMessages.Clear();
        foreach (var m in pending)
        {
            SendReadIndexResponse(m);
        }
    }

    /// <summary>Answers locally (a ReadState) for our own request, or with MsgReadIndexResp for a follower's.</summary>
    private void RespondToReadIndex(Message request, ulong readIndex)
    {
        if (request.From == None || request.From == Id)
        {
            ReadStates.Add(new ReadState(readIndex, request.Entries[0].Data));
            return;
        }

        var resp = new Message { To = request.From, MsgType = MessageType.MsgReadIndexResp, Index = readIndex };
        resp.Entries.AddRange(request.Entries);
        Send(resp);
    }
}
