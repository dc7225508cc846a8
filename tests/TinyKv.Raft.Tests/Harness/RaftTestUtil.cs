using System.Text;
using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Log;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Harness;

/// <summary>Helpers shared by the raft tests (the equivalents of etcd/raft's test helpers).</summary>
internal static class RaftTestUtil
{
    public static RaftConfig NewTestConfig(ulong id, IReadOnlyList<ulong>? peers, int election, int heartbeat, IRaftStorage storage) => new()
    {
        Id = id,
        Peers = peers,
        ElectionTick = election,
        HeartbeatTick = heartbeat,
        Storage = storage,
        MaxSizePerMsg = ulong.MaxValue,
        MaxInflightMsgs = 256,
    };

    public static RaftCore NewTestRaft(ulong id, IReadOnlyList<ulong>? peers, int election, int heartbeat, IRaftStorage storage) =>
        new(NewTestConfig(id, peers, election, heartbeat, storage));

    public static ulong[] Ids(params ulong[] ids) => ids;

    public static Entry E(ulong term, ulong index, string? data = null) =>
        new() { Term = term, Index = index, Data = data is null ? ByteString.Empty : ByteString.CopyFromUtf8(data) };

    public static Message Msg(ulong from, ulong to, MessageType type, ulong term = 0) =>
        new() { From = from, To = to, MsgType = type, Term = term };

    public static Message Propose(ulong to, string data)
    {
        var m = new Message { From = to, To = to, MsgType = MessageType.MsgPropose };
        m.Entries.Add(new Entry { Data = ByteString.CopyFromUtf8(data) });
        return m;
    }

    public static Message Hup(ulong id) => Msg(id, id, MessageType.MsgHup);

    public static Message Beat(ulong id) => Msg(id, id, MessageType.MsgBeat);

    /// <summary>A storage whose entry array is exactly <paramref name="entriesWithDummy"/> (element 0 is the dummy).</summary>
    public static MemoryRaftStorage StorageWithEntries(params Entry[] entriesWithDummy)
    {
        var s = new MemoryRaftStorage();
        s.ResetEntries(entriesWithDummy);
        return s;
    }

    /// <summary>A storage holding entries at terms <paramref name="terms"/> (index i+1 has terms[i]).</summary>
    public static MemoryRaftStorage StorageWithTerms(params ulong[] terms)
    {
        var s = new MemoryRaftStorage();
        s.Append([.. terms.Select((t, i) => E(t, (ulong)i + 1))]);
        return s;
    }

    /// <summary>A raft whose log has the given terms, as a follower at the last term (etcd's entsWithConfig).</summary>
    public static RaftCore WithTerms(Func<RaftConfig, RaftConfig>? configure, params ulong[] terms)
    {
        var storage = StorageWithTerms(terms);
        var cfg = NewTestConfig(1, [], 5, 1, storage);
        var sm = new RaftCore(configure is null ? cfg : configure(cfg));
        sm.BecomeFollower(terms.Length == 0 ? 0 : terms[^1], RaftCore.None);
        return sm;
    }

    /// <summary>A raft that voted for <paramref name="vote"/> at <paramref name="term"/> with an empty log (etcd's votedWithConfig).</summary>
    public static RaftCore VotedWith(Func<RaftConfig, RaftConfig>? configure, ulong vote, ulong term)
    {
        var storage = new MemoryRaftStorage();
        storage.SetHardState(new HardState { Vote = vote, Term = term });
        var cfg = NewTestConfig(1, [], 5, 1, storage);
        var sm = new RaftCore(configure is null ? cfg : configure(cfg));
        sm.BecomeFollower(term, RaftCore.None);
        return sm;
    }

    /// <summary>Persists the unstable entries, returns the committed entries to apply, and marks them applied (etcd's nextEnts).</summary>
    public static IReadOnlyList<Entry> NextEnts(RaftCore r, MemoryRaftStorage s)
    {
        s.Append(r.RaftLog.UnstableEntries());
        r.RaftLog.StableTo(r.RaftLog.LastIndex(), r.RaftLog.LastTerm());
        var ents = r.RaftLog.NextEntries();
        r.RaftLog.AppliedTo(r.RaftLog.Committed);
        return ents;
    }

    /// <summary>A log as text: committed, applied and every entry (etcd's ltoa); logs are compared by these strings.</summary>
    public static string Ltoa(RaftLog l)
    {
        var sb = new StringBuilder();
        sb.Append("committed: ").Append(l.Committed).Append('\n');
        sb.Append("applied:  ").Append(l.Applied).Append('\n');
        foreach (var (e, i) in l.AllEntries().Select((e, i) => (e, i)))
        {
            sb.Append('#').Append(i).Append(": ").Append(e.Term).Append(' ').Append(e.Index).Append(' ').Append(e.EntryType).Append(' ').Append(e.Data.ToStringUtf8()).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A log built from the storage holding <paramref name="entries"/> after a dummy, with the given committed/applied.</summary>
    public static RaftLog LogOf(ulong committed, ulong applied, params Entry[] entries)
    {
        var s = StorageWithEntries([new Entry(), .. entries]);
        var l = new RaftLog(s);
        l.SetCommittedForTest(committed);
        l.SetAppliedForTest(applied);
        return l;
    }

    public static ulong[] Nodes(RaftCore r) => [.. r.Tracker.Ids];

    public static IEnumerable<Message> Sorted(IEnumerable<Message> msgs) => msgs.OrderBy(m => m.To).ThenBy(m => m.MsgType);
}
