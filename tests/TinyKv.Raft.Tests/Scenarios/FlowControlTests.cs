using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tracker;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Flow control: the inflight window (MaxInflightMsgs) and the message size limit (MaxSizePerMsg).</summary>
public sealed class FlowControlTests
{
    private static RaftCore Leader(int maxInflight, ulong maxSize)
    {
        var cfg = NewTestConfig(1, Ids(1, 2), 10, 1, new MemoryRaftStorage());
        var r = new RaftCore(new RaftConfig
        {
            Id = 1, Peers = cfg.Peers, ElectionTick = 10, HeartbeatTick = 1, Storage = cfg.Storage, MaxInflightMsgs = maxInflight, MaxSizePerMsg = maxSize,
        });
        r.BecomeCandidate();
        r.BecomeLeader();
        r.ReadMessages();
        r.Tracker.Progress[2].BecomeReplicate();
        return r;
    }

    [Fact]
    public void A_replicating_leader_stops_at_a_full_inflight_window_and_resumes_on_acknowledgement()
    {
        var r = Leader(maxInflight: 3, maxSize: ulong.MaxValue);

        for (int i = 0; i < 10; i++)
        {
            r.Step(Propose(1, "x"));
        }

        var sent = r.ReadMessages().Where(m => m.MsgType == MessageType.MsgAppend).ToList();
        Assert.Equal(3, sent.Count);
        Assert.True(r.Tracker.Progress[2].IsPaused);

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppendResponse, Term = r.Term, Index = sent[0].Entries[^1].Index });

        // One slot freed: the rest of the log goes out in one append.
        var resumed = r.ReadMessages().Where(m => m.MsgType == MessageType.MsgAppend && m.Entries.Count > 0).ToList();
        Assert.Single(resumed);
        Assert.Equal(r.RaftLog.LastIndex(), resumed[0].Entries[^1].Index);
    }

    [Fact]
    public void A_heartbeat_response_frees_one_slot_of_a_full_window()
    {
        var r = Leader(maxInflight: 1, maxSize: ulong.MaxValue);
        r.Step(Propose(1, "x"));
        r.Step(Propose(1, "y"));
        r.ReadMessages();
        Assert.True(r.Tracker.Progress[2].IsPaused);

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgHeartbeatResponse, Term = r.Term });

        Assert.Contains(r.ReadMessages(), m => m.MsgType == MessageType.MsgAppend && m.Entries.Count > 0);
    }

    [Fact]
    public void Appends_respect_the_message_size_limit_but_carry_at_least_one_entry()
    {
        var r = Leader(maxInflight: 256, maxSize: 1);
        r.Tracker.Progress[2].BecomeProbe();
        for (int i = 0; i < 5; i++)
        {
            r.Step(Propose(1, "payload"));
        }

        var first = r.ReadMessages().First(m => m.MsgType == MessageType.MsgAppend);
        Assert.Single(first.Entries);
        Assert.Equal(ProgressState.Probe, r.Tracker.Progress[2].State);
    }

    [Fact]
    public void A_probing_leader_sends_one_append_until_the_follower_answers()
    {
        var r = Leader(maxInflight: 256, maxSize: ulong.MaxValue);
        r.Tracker.Progress[2].BecomeProbe();

        r.Step(Propose(1, "a"));
        r.Step(Propose(1, "b"));
        r.Step(Propose(1, "c"));

        Assert.Single(r.ReadMessages(), m => m.MsgType == MessageType.MsgAppend);
    }
}
