using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>ReadIndex (Raft thesis §6.4): safe (heartbeat round) and lease-based reads, from the leader or forwarded.</summary>
public sealed class ReadIndexTests
{
    private static Message ReadIndex(ulong id, string ctx)
    {
        var m = new Message { From = id, To = id, MsgType = MessageType.MsgReadIndex };
        m.Entries.Add(new Entry { Data = ByteString.CopyFromUtf8(ctx) });
        return m;
    }

    [Theory]
    [InlineData(ReadOnlyOption.Safe)]
    [InlineData(ReadOnlyOption.LeaseBased)]
    public void Reads_on_leader_and_followers_return_the_leaders_commit_index(ReadOnlyOption option)
    {
        var n = Network.WithConfig(
            c => new RaftConfig { Id = c.Id, Peers = c.Peers, ElectionTick = 10, HeartbeatTick = 1, Storage = c.Storage, ReadOnlyOption = option, CheckQuorum = true },
            null,
            null,
            null);
        var b = n.Raft(2);
        b.RandomizedElectionTimeout = b.ElectionTimeout + 1;
        for (int i = 0; i < b.ElectionTimeout; i++)
        {
            b.Tick();
        }

        n.Send(Hup(1));
        Assert.Equal(StateType.Leader, n.Raft(1).State);

        var cases = new (ulong Node, ulong WantIndex, string Ctx)[]
        {
            (1, 11, "ctx1"), (2, 21, "ctx2"), (3, 31, "ctx3"), (1, 41, "ctx4"), (2, 51, "ctx5"), (3, 61, "ctx6"),
        };
        foreach (var (node, want, ctx) in cases)
        {
            for (int j = 0; j < 10; j++)
            {
                n.Send(Propose(1, "x"));
            }

            n.Send(ReadIndex(node, ctx));

            var r = n.Raft(node);
            var rs = Assert.Single(r.ReadStates);
            Assert.Equal((want, ctx), (rs.Index, rs.RequestCtx.ToStringUtf8()));
            r.ReadStates.Clear();
        }
    }

    [Fact]
    public void A_new_leader_answers_reads_only_after_committing_an_entry_of_its_term()
    {
        var peers = new List<RaftCore>();
        foreach (var (id, committed, applied, compact) in new[] { (1UL, 1UL, 1UL, 0UL), (2UL, 2UL, 2UL, 2UL), (3UL, 2UL, 2UL, 2UL) })
        {
            var s = StorageWithTerms(1, 1);
            s.SetHardState(new HardState { Term = 1, Commit = committed });
            if (compact > 0)
            {
                s.Compact(compact);
            }

            var cfg = NewTestConfig(id, Ids(1, 2, 3), 10, 1, s);
            peers.Add(new RaftCore(new RaftConfig { Id = id, Peers = cfg.Peers, ElectionTick = 10, HeartbeatTick = 1, Storage = s, Applied = applied }));
        }

        var n = new Network(peers[0], peers[1], peers[2]);
        n.Ignore(MessageType.MsgAppend);
        n.Send(Hup(1));
        var sm = n.Raft(1);
        Assert.Equal(StateType.Leader, sm.State);

        n.Send(ReadIndex(1, "ctx"));
        Assert.Empty(sm.ReadStates);

        n.Recover();
        for (int i = 0; i < sm.HeartbeatTimeout; i++)
        {
            sm.Tick();
        }

        n.Send(Propose(1, "x"));
        Assert.Equal(4UL, sm.RaftLog.Committed);
        var rs = Assert.Single(sm.ReadStates);
        Assert.Equal((4UL, "ctx"), (rs.Index, rs.RequestCtx.ToStringUtf8()));

        n.Send(ReadIndex(1, "ctx"));
        Assert.Equal(2, sm.ReadStates.Count);
        Assert.Equal(4UL, sm.ReadStates[1].Index);
    }

    [Fact]
    public void A_safe_read_is_not_answered_without_a_quorum_of_heartbeat_acks()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(1);

        n.Send(ReadIndex(1, "ctx"));

        Assert.Empty(n.Raft(1).ReadStates);
        Assert.Equal(1, n.Raft(1).ReadOnly.PendingCount);
    }

    [Fact]
    public void A_follower_without_a_leader_drops_the_read()
    {
        var r = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());

        r.Step(ReadIndex(2, "ctx"));

        Assert.Empty(r.ReadMessages());
        Assert.Empty(r.ReadStates);
    }
}
