using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>The RawNode API and the exact contents of each Ready (the Ready-loop contract).</summary>
public sealed class RawNodeTests
{
    private static RaftConfig Config(ulong id, MemoryRaftStorage storage, ulong applied = 0) => new()
    {
        Id = id,
        ElectionTick = 10,
        HeartbeatTick = 1,
        Storage = storage,
        Applied = applied,
    };

    private static MemoryRaftStorage Bootstrapped(params ulong[] voters)
    {
        var cs = new ConfState();
        cs.Voters.AddRange(voters);
        return new MemoryRaftStorage(cs);
    }

    /// <summary>Persists and applies a Ready the way an application must (README steps 1–4).</summary>
    private static void Handle(RawNode node, MemoryRaftStorage s, Ready rd)
    {
        if (rd.Snapshot is not null)
        {
            s.ApplySnapshot(rd.Snapshot);
        }

        s.Append(rd.Entries);
        if (!Ready.IsEmptyHardState(rd.HardState))
        {
            s.SetHardState(rd.HardState);
        }

        foreach (var e in rd.CommittedEntries)
        {
            if (e.EntryType == EntryType.EntryConfChange)
            {
                node.ApplyConfChange(ConfChange.Parser.ParseFrom(e.Data));
            }
        }

        node.Advance(rd);
    }

    [Fact]
    public void A_single_node_commits_and_returns_a_proposal_in_one_ready()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());

        node.Propose("foo"u8);
        var rd = node.Ready();

        var entry = Assert.Single(rd.Entries);
        Assert.Equal(entry, Assert.Single(rd.CommittedEntries));
        Assert.Equal("foo", entry.Data.ToStringUtf8());
        Assert.True(rd.MustSync);
        Handle(node, s, rd);
        Assert.False(node.HasReady());
    }

    [Fact]
    public void A_restarted_node_returns_only_the_committed_entries_not_yet_applied()
    {
        var s = new MemoryRaftStorage();
        s.Append([new Entry { Term = 1, Index = 1 }, new Entry { Term = 1, Index = 2, Data = ByteString.CopyFromUtf8("foo") }]);
        s.SetHardState(new HardState { Term = 1, Commit = 1 });
        var node = new RawNode(Config(1, s));

        var rd = node.Ready();

        Assert.Null(rd.SoftState);
        Assert.True(Ready.IsEmptyHardState(rd.HardState));
        Assert.Empty(rd.Entries);
        Assert.Equal([new Entry { Term = 1, Index = 1 }], rd.CommittedEntries);
        Assert.Null(rd.Snapshot);
        Assert.Empty(rd.Messages);
        Assert.False(rd.MustSync);
        node.Advance(rd);
        Assert.False(node.HasReady());
    }

    [Fact]
    public void A_node_restarted_from_a_snapshot_applies_only_what_follows_it()
    {
        var cs = new ConfState();
        cs.Voters.AddRange([1, 2]);
        var snap = new Snapshot { Metadata = new SnapshotMetadata { Index = 2, Term = 1, ConfState = cs } };
        var s = new MemoryRaftStorage();
        Assert.Equal(StorageError.None, s.ApplySnapshot(snap));
        var foo = new Entry { Term = 1, Index = 3, Data = ByteString.CopyFromUtf8("foo") };
        s.Append([foo]);
        s.SetHardState(new HardState { Term = 1, Commit = 3 });
        var node = new RawNode(Config(1, s));

        var rd = node.Ready();

        Assert.Empty(rd.Entries);
        Assert.Equal([foo], rd.CommittedEntries);
        Assert.Null(rd.SoftState);
        Assert.True(Ready.IsEmptyHardState(rd.HardState));
        node.Advance(rd);
        Assert.False(node.HasReady());
    }

    [Fact]
    public void Proposals_and_conf_changes_land_in_the_log_in_order()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        var first = node.Ready();
        Handle(node, s, first);
        Assert.False(node.HasReady());

        node.Campaign();
        var cc = new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 1 };
        bool proposed = false;
        while (s.LastIndex() < 3)
        {
            var rd = node.Ready();
            s.Append(rd.Entries);
            if (!proposed && rd.SoftState is { } soft)
            {
                Assert.Equal(1UL, soft.Lead);
                Assert.Equal(StepResult.Ok, node.Propose("somedata"u8));
                Assert.Equal(StepResult.Ok, node.ProposeConfChange(cc));
                proposed = true;
            }

            node.Advance(rd);
        }

        var entries = new List<Entry>();
        Assert.Equal(StorageError.None, s.Entries(s.LastIndex() - 1, s.LastIndex() + 1, ulong.MaxValue, entries));
        Assert.Equal("somedata", entries[0].Data.ToStringUtf8());
        Assert.Equal(EntryType.EntryConfChange, entries[1].EntryType);
        Assert.Equal(cc.ToByteString(), entries[1].Data);
    }

    [Fact]
    public void Adding_a_node_twice_does_not_break_later_changes()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        Handle(node, s, node.Ready());
        node.Campaign();
        while (node.Raft.State != StateType.Leader || node.HasReady())
        {
            Handle(node, s, node.Ready());
        }

        var cc1 = new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 1 };
        var cc2 = new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 2 };
        foreach (var cc in new[] { cc1, cc1, cc2 })
        {
            node.ProposeConfChange(cc);
            Handle(node, s, node.Ready());
        }

        var entries = new List<Entry>();
        s.Entries(s.LastIndex() - 2, s.LastIndex() + 1, ulong.MaxValue, entries);
        Assert.Equal([cc1.ToByteString(), cc1.ToByteString(), cc2.ToByteString()], entries.Select(e => e.Data));
        Assert.Equal([1UL, 2UL], node.Raft.Tracker.Voters.Ids);
    }

    [Fact]
    public void A_campaign_ready_carries_the_new_role_the_vote_and_the_vote_requests()
    {
        var s = Bootstrapped(1, 2, 3);
        var node = new RawNode(Config(1, s));

        node.Campaign();
        var rd = node.Ready();

        Assert.Equal(new SoftState(0, StateType.Candidate), rd.SoftState);
        Assert.Equal(new HardState { Term = 1, Vote = 1 }, rd.HardState);
        Assert.True(rd.MustSync);
        Assert.Equal([2UL, 3UL], rd.Messages.Select(m => m.To).Order());
        Assert.All(rd.Messages, m => Assert.Equal(MessageType.MsgRequestVote, m.MsgType));
        node.Advance(rd);
        Assert.False(node.HasReady());
    }

    [Theory]
    [InlineData(MessageType.MsgHup)]
    [InlineData(MessageType.MsgBeat)]
    [InlineData(MessageType.MsgUnreachable)]
    [InlineData(MessageType.MsgSnapStatus)]
    [InlineData(MessageType.MsgCheckQuorum)]
    public void Step_refuses_local_message_types_from_the_network(MessageType type)
    {
        var node = new RawNode(Config(1, Bootstrapped(1, 2)));

        Assert.Equal(StepResult.StepLocalMessage, node.Step(new Message { From = 2, To = 1, MsgType = type, Term = 1 }));
        Assert.Equal(0UL, node.Raft.Term);
    }

    [Fact]
    public void Step_refuses_a_response_from_a_peer_outside_the_configuration()
    {
        var node = new RawNode(Config(1, Bootstrapped(1, 2)));

        var result = node.Step(new Message { From = 9, To = 1, MsgType = MessageType.MsgAppendResponse, Term = 1 });

        Assert.Equal(StepResult.StepPeerNotFound, result);
    }

    [Fact]
    public void A_proposal_without_a_leader_is_dropped_and_loses_nothing()
    {
        var node = new RawNode(Config(1, Bootstrapped(1, 2, 3)));

        Assert.Equal(StepResult.ProposalDropped, node.Propose("x"u8));
        Assert.False(node.HasReady());
    }

    [Fact]
    public void Status_reports_the_hard_state_and_on_the_leader_every_progress()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());

        var status = node.Status();

        Assert.Equal((1UL, 1UL, 1UL), (status.HardState.Term, status.HardState.Vote, status.HardState.Commit));
        Assert.Equal(new SoftState(1, StateType.Leader), status.SoftState);
        Assert.Equal(1UL, status.Applied);
        Assert.Equal(1UL, Assert.Single(status.Progress).Value.Match);
    }

    [Fact]
    public void A_read_index_on_a_single_node_is_answered_in_the_next_ready()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());

        node.ReadIndex(ByteString.CopyFromUtf8("ctx"));
        var rd = node.Ready();

        var rs = Assert.Single(rd.ReadStates);
        Assert.Equal((1UL, "ctx"), (rs.Index, rs.RequestCtx.ToStringUtf8()));
        node.Advance(rd);
        Assert.False(node.HasReady());
    }

    [Fact]
    public void A_snapshot_received_from_the_leader_is_handed_out_once_and_applied_on_advance()
    {
        var s = Bootstrapped(1, 2);
        var node = new RawNode(Config(2, s));
        var cs = new ConfState();
        cs.Voters.AddRange([1, 2]);
        var snap = new Snapshot { Metadata = new SnapshotMetadata { Index = 11, Term = 11, ConfState = cs } };

        node.Step(new Message { From = 1, To = 2, Term = 11, MsgType = MessageType.MsgSnapshot, Snapshot = snap });
        var rd = node.Ready();

        Assert.Equal(snap, rd.Snapshot);
        Assert.Equal(11UL, rd.HardState.Commit);
        var resp = Assert.Single(rd.Messages);
        Assert.Equal((MessageType.MsgAppendResponse, 11UL), (resp.MsgType, resp.Index));
        Handle(node, s, rd);
        Assert.Equal(11UL, node.Status().Applied);
        Assert.False(node.HasReady());
        Assert.Equal(12UL, s.FirstIndex());
    }

    [Fact]
    public void A_Ready_not_yet_advanced_is_never_reused()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());
        node.Propose("a"u8);

        var first = node.Ready();
        node.Propose("b"u8);
        var second = node.Ready();

        Assert.NotSame(first, second);
        Assert.Equal(["a"], first.Entries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal(["a", "b"], second.Entries.Select(e => e.Data.ToStringUtf8()));
    }

    [Fact]
    public void An_advanced_Ready_stays_valid_until_the_next_Ready_call_which_reuses_it()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());
        node.Propose("a"u8);
        var rd = node.Ready();
        Handle(node, s, rd);

        node.Propose("b"u8);
        Assert.Equal(["a"], rd.CommittedEntries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal((1UL, 1UL, 2UL), (rd.HardState.Term, rd.HardState.Vote, rd.HardState.Commit));

        var next = node.Ready();
        Assert.Same(rd, next);
        Assert.Equal(["b"], next.CommittedEntries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal(3UL, next.HardState.Commit);
        Handle(node, s, next);
        Assert.Equal((1UL, 3UL), (s.InitialState().HardState.Term, s.InitialState().HardState.Commit));
    }

    [Fact]
    public void ProposeBatch_appends_every_entry_of_a_list_or_a_lazy_sequence_in_order()
    {
        var s = Bootstrapped(1);
        var node = new RawNode(Config(1, s));
        node.Campaign();
        Handle(node, s, node.Ready());

        Assert.Equal(StepResult.Ok, node.ProposeBatch([ByteString.CopyFromUtf8("a"), ByteString.CopyFromUtf8("b")]));
        Assert.Equal(StepResult.Ok, node.ProposeBatch(new[] { "c", "d" }.Select(ByteString.CopyFromUtf8)));
        Assert.Equal(StepResult.Ok, node.ProposeBatch([]));
        var rd = node.Ready();

        Assert.Equal(["a", "b", "c", "d"], rd.Entries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal([2UL, 3UL, 4UL, 5UL], rd.Entries.Select(e => e.Index));
    }

    [Fact]
    public void Config_validation_names_every_invalid_field()
    {
        var bad = new RaftConfig { Id = 0, HeartbeatTick = 0, ElectionTick = 0, MaxInflightMsgs = 0, ReadOnlyOption = ReadOnlyOption.LeaseBased };

        var ex = Assert.Throws<RaftConfigException>(bad.Validate);

        Assert.Contains(ex.Errors, e => e.StartsWith("Id", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("HeartbeatTick", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("ElectionTick", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Storage", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("MaxInflightMsgs", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("CheckQuorum", StringComparison.Ordinal));
        Assert.Throws<RaftConfigException>(() => new RawNode(bad));
    }

    [Theory]
    [InlineData(1UL, 1, 10, true)]
    [InlineData(0UL, 1, 10, false)]
    [InlineData(1UL, 0, 10, false)]
    [InlineData(1UL, 10, 10, false)]
    [InlineData(1UL, 3, 2, false)]
    public void Config_validation_table(ulong id, int heartbeat, int election, bool valid)
    {
        var cfg = new RaftConfig { Id = id, HeartbeatTick = heartbeat, ElectionTick = election, Storage = new MemoryRaftStorage() };

        var ex = Record.Exception(cfg.Validate);

        Assert.Equal(valid, ex is null);
    }
}
