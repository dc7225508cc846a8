using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Paper;

/// <summary>Helpers of the paper tests: a follower's acknowledgement and committing the leader's no-op.</summary>
internal static class PaperTestUtil
{
    /// <summary>The follower's acceptance of an append.</summary>
    public static Message AcceptAndReply(Message m) => new()
    {
        From = m.To,
        To = m.From,
        Term = m.Term,
        MsgType = MessageType.MsgAppendResponse,
        Index = m.Index + (ulong)m.Entries.Count,
    };

    /// <summary>Replicates and commits the new leader's no-op entry, then persists and applies it.</summary>
    public static void CommitNoopEntry(RaftCore r, MemoryRaftStorage s)
    {
        Assert.Equal(StateType.Leader, r.State);
        r.BroadcastAppend();
        foreach (var m in r.ReadMessages())
        {
            Assert.Equal(MessageType.MsgAppend, m.MsgType);
            Assert.Single(m.Entries);
            Assert.True(m.Entries[0].Data.IsEmpty);
            r.Step(AcceptAndReply(m));
        }

        r.ReadMessages();
        s.Append(r.RaftLog.UnstableEntries());
        r.RaftLog.AppliedTo(r.RaftLog.Committed);
        r.RaftLog.StableTo(r.RaftLog.LastIndex(), r.RaftLog.LastTerm());
    }
}
