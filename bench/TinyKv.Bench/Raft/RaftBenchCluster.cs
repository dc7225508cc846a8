using Google.Protobuf;
using TinyKv.Raft;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Bench.Raft;

/// <summary>
/// Three RawNodes in one process with in-memory storage and network, driven in rounds: every
/// node processes its Ready (persist, apply, advance) and the messages it produced are
/// delivered before the next round.
/// </summary>
internal sealed class RaftBenchCluster
{
    private readonly RawNode[] _nodes = new RawNode[3];
    private readonly MemoryRaftStorage[] _storages = new MemoryRaftStorage[3];
    private readonly List<Message> _inFlight = [];
    private readonly List<Message> _delivering = [];

    public RaftBenchCluster()
    {
        for (int i = 0; i < 3; i++)
        {
            var cs = new ConfState();
            cs.Voters.AddRange([1, 2, 3]);
            _storages[i] = new MemoryRaftStorage(cs);
            _nodes[i] = new RawNode(new RaftConfig
            {
                Id = (ulong)i + 1,
                ElectionTick = 10,
                HeartbeatTick = 1,
                Storage = _storages[i],
                MaxSizePerMsg = 1024 * 1024,
                MaxInflightMsgs = 256,
            });
        }

        _nodes[0].Campaign();
        for (int i = 0; i < 10 && _nodes[0].Status().SoftState.RaftState != StateType.Leader; i++)
        {
            Round(null);
        }

        Round(null);
        Round(null);
    }

    public RawNode Leader => _nodes[0];

    /// <summary>Entries committed at the leader so far (proposals only, not the election no-op).</summary>
    public long Committed { get; private set; }

    /// <summary>One round; <paramref name="onLeaderCommit"/> sees each entry the leader applies.</summary>
    public void Round(Action<Entry>? onLeaderCommit)
    {
        for (int i = 0; i < 3; i++)
        {
            var node = _nodes[i];
            if (!node.HasReady())
            {
                continue;
            }

            var rd = node.Ready();
            var storage = _storages[i];
            storage.Append(rd.Entries);
            if (!Ready.IsEmptyHardState(rd.HardState))
            {
                storage.SetHardState(rd.HardState);
            }

            _inFlight.AddRange(rd.Messages);
            if (i == 0)
            {
                var committed = rd.CommittedEntries;
                for (int k = 0; k < committed.Count; k++)
                {
                    var e = committed[k];
                    if (!e.Data.IsEmpty)
                    {
                        Committed++;
                        onLeaderCommit?.Invoke(e);
                    }
                }
            }

            node.Advance(rd);
        }

        _delivering.AddRange(_inFlight);
        _inFlight.Clear();
        foreach (var m in _delivering)
        {
            _nodes[m.To - 1].Step(m);
        }

        _delivering.Clear();
    }

    /// <summary>Drops applied entries from every storage so memory stays bounded.</summary>
    public void Compact()
    {
        for (int i = 0; i < 3; i++)
        {
            ulong applied = _nodes[i].Status().Applied;
            if (applied > _storages[i].FirstIndex())
            {
                _storages[i].Compact(applied);
            }
        }
    }

    public static ByteString Payload(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
