using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Simulation;

/// <summary>
/// One simulated server: a RawNode over durable storage, processing Readies by the contract
/// (persist, send, apply, advance). A crash drops the RawNode; a restart rebuilds it from storage.
/// </summary>
internal sealed class SimNode
{
    private readonly bool _preVote;
    private readonly int _seed;

    public SimNode(ulong id, ConfState bootstrap, bool preVote, int seed)
    {
        Id = id;
        Storage = new MemoryRaftStorage(bootstrap);
        _preVote = preVote;
        _seed = seed;
        Start();
    }

    public ulong Id { get; }

    public MemoryRaftStorage Storage { get; }

    public RawNode? Node { get; private set; }

    /// <summary>The application's applied index; its durable state is the storage snapshot, so it restarts from there.</summary>
    public ulong Applied { get; private set; }

    /// <summary>Set once the node applied its own removal: the application destroys it (TiKV's tombstone).</summary>
    public bool Tombstoned { get; private set; }

    public bool IsUp => Node is not null;

    public RaftCore Raft => Node!.Raft;

    public void Crash() => Node = null;

    public void Start()
    {
        Node = new RawNode(new RaftConfig
        {
            Id = Id,
            ElectionTick = 10,
            HeartbeatTick = 2,
            Storage = Storage,
            PreVote = _preVote,
            CheckQuorum = _preVote,
            MaxSizePerMsg = 4096,
            MaxInflightMsgs = 16,
            RandomSeed = _seed * 31 + (int)Id,
        });
        Applied = Storage.FirstIndex() - 1;
    }

    /// <summary>Processes one Ready; returns the messages to send. The checker sees every applied entry, snapshot and read.</summary>
    public List<Message> HandleReady(SafetyChecker checker)
    {
        var node = Node!;
        if (!node.HasReady())
        {
            return [];
        }

        var rd = node.Ready();
        if (rd.Snapshot is not null)
        {
            var err = Storage.ApplySnapshot(rd.Snapshot);
            if (err != StorageError.None)
            {
                throw new InvalidOperationException($"node {Id}: applying snapshot {rd.Snapshot.Metadata.Index}: {err}");
            }

            checker.OnSnapshot(this, rd.Snapshot);
            Applied = rd.Snapshot.Metadata.Index;
        }

        Storage.Append(rd.Entries);
        if (!Ready.IsEmptyHardState(rd.HardState))
        {
            Storage.SetHardState(rd.HardState);
        }

        foreach (var e in rd.CommittedEntries)
        {
            if (e.Index <= Applied)
            {
                continue;
            }

            checker.OnApply(this, e);
            Applied = e.Index;
            if (e.EntryType == EntryType.EntryConfChange)
            {
                var cc = ConfChange.Parser.ParseFrom(e.Data);
                node.ApplyConfChange(cc);
                if (cc.ChangeType == ConfChangeType.RemoveNode && cc.NodeId == Id)
                {
                    Tombstoned = true;
                }
            }
        }

        foreach (var rs in rd.ReadStates)
        {
            checker.OnReadState(this, rs);
        }

        var msgs = new List<Message>(rd.Messages);
        node.Advance(rd);
        if (Tombstoned)
        {
            Node = null;
        }

        return msgs;
    }

    /// <summary>Snapshots the applied state and compacts the log up to it.</summary>
    public void Compact()
    {
        if (Node is null || Applied <= Storage.FirstIndex())
        {
            return;
        }

        var err = Storage.CreateSnapshot(Applied, Raft.Tracker.ConfState(), ByteString.CopyFromUtf8($"applied-{Applied}").Span, out _);
        if (err == StorageError.None)
        {
            Storage.Compact(Applied);
        }
    }
}
