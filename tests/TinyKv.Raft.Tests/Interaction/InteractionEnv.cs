using System.Globalization;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Interaction;

/// <summary>
/// The world of an interaction script (etcd/raft's rafttest InteractionEnv): RawNodes with
/// in-memory storage, a mailbox per node, partitions, and a trace of everything that happens.
/// </summary>
internal sealed class InteractionEnv
{
    private readonly StringBuilder _out = new();
    private readonly TraceLogger _logger;
    private readonly SortedDictionary<ulong, (RawNode Node, MemoryRaftStorage Storage)> _nodes = [];
    private readonly Dictionary<ulong, List<Message>> _mailbox = [];
    private readonly Dictionary<ulong, int> _group = [];

    public InteractionEnv()
    {
        _logger = new TraceLogger(_out);
    }

    /// <summary>Runs one command and returns its trace.</summary>
    public string Handle(string command, IReadOnlyList<string> args)
    {
        _out.Clear();
        switch (command)
        {
            case "log-level":
                _logger.MinimumLevel = args[0] switch
                {
                    "debug" => LogLevel.Debug,
                    "info" => LogLevel.Information,
                    "warn" => LogLevel.Warning,
                    "none" => LogLevel.None,
                    _ => throw new ArgumentException($"unknown log level {args[0]}"),
                };
                _out.Append("ok\n");
                break;
            case "add-nodes":
                AddNodes(args);
                break;
            case "campaign":
                Node(args[0]).Campaign();
                break;
            case "propose":
                _out.Append(Node(args[0]).Propose(ByteString.CopyFromUtf8(args[1]))).Append('\n');
                break;
            case "propose-conf-change":
                _out.Append(Node(args[0]).ProposeConfChange(ParseConfChange(args[1]))).Append('\n');
                break;
            case "transfer-leader":
                Node(args[0]).TransferLeader(ulong.Parse(args[1], CultureInfo.InvariantCulture));
                break;
            case "read-index":
                Node(args[0]).ReadIndex(ByteString.CopyFromUtf8(args[1]));
                break;
            case "tick-heartbeat":
                Tick(args[0], heartbeat: true);
                break;
            case "tick-election":
                Tick(args[0], heartbeat: false);
                break;
            case "process-ready":
                foreach (ulong id in Ids(args))
                {
                    ProcessReady(id);
                }

                break;
            case "deliver-msgs":
                foreach (ulong id in Ids(args))
                {
                    DeliverMsgs(id);
                }

                break;
            case "stabilize":
                Stabilize(Ids(args));
                break;
            case "partition":
                Partition(args);
                break;
            case "heal":
                _group.Clear();
                _out.Append("ok\n");
                break;
            case "compact":
                Compact(args[0], ulong.Parse(args[1], CultureInfo.InvariantCulture));
                break;
            case "raft-state":
                RaftState();
                break;
            case "raft-log":
                RaftLog(args[0]);
                break;
            default:
                throw new ArgumentException($"unknown command '{command}'");
        }

        return _out.ToString();
    }

    private RawNode Node(string id) => _nodes[ulong.Parse(id, CultureInfo.InvariantCulture)].Node;

    private List<ulong> Ids(IReadOnlyList<string> args) =>
        args.Count == 0 ? [.. _nodes.Keys] : [.. args.Select(a => ulong.Parse(a, CultureInfo.InvariantCulture))];

    /// <summary>add-nodes N voters=1,2,3 [learners=4] [prevote] [checkquorum] [lease].</summary>
    private void AddNodes(IReadOnlyList<string> args)
    {
        int n = int.Parse(args[0], CultureInfo.InvariantCulture);
        var cs = new ConfState();
        bool preVote = false, checkQuorum = false, lease = false;
        foreach (string a in args.Skip(1))
        {
            if (a.StartsWith("voters=", StringComparison.Ordinal))
            {
                cs.Voters.AddRange(a[7..].Split(',').Select(ulong.Parse));
            }
            else if (a.StartsWith("learners=", StringComparison.Ordinal))
            {
                cs.Learners.AddRange(a[9..].Split(',').Select(ulong.Parse));
            }
            else
            {
                preVote |= a == "prevote";
                checkQuorum |= a == "checkquorum" || a == "lease";
                lease |= a == "lease";
            }
        }

        ulong first = (ulong)_nodes.Count + 1;
        for (ulong id = first; id < first + (ulong)n; id++)
        {
            var storage = new MemoryRaftStorage(cs);
            var node = new RawNode(new RaftConfig
            {
                Id = id,
                ElectionTick = 10,
                HeartbeatTick = 1,
                Storage = storage,
                PreVote = preVote,
                CheckQuorum = checkQuorum,
                ReadOnlyOption = lease ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
                RandomSeed = (int)id,
                Logger = _logger,
            });
            _nodes[id] = (node, storage);
            _mailbox[id] = [];
        }
    }

    private void Tick(string id, bool heartbeat)
    {
        var node = Node(id);
        var r = node.Raft;
        int ticks = heartbeat
            ? r.HeartbeatTimeout
            : r.State == StateType.Leader ? r.ElectionTimeout : Math.Max(1, r.RandomizedElectionTimeout - r.ElectionElapsed);
        for (int i = 0; i < ticks; i++)
        {
            node.Tick();
        }
    }

    private void ProcessReady(ulong id)
    {
        var (node, storage) = _nodes[id];
        if (!node.HasReady())
        {
            return;
        }

        var rd = node.Ready();
        _out.Append("> ").Append(id).Append(" handling Ready\n");
        foreach (string line in Describe.ReadyText(rd).TrimEnd('\n').Split('\n'))
        {
            _out.Append("  ").Append(line).Append('\n');
        }

        if (rd.Snapshot is not null)
        {
            storage.ApplySnapshot(rd.Snapshot);
        }

        storage.Append(rd.Entries);
        if (!Ready.IsEmptyHardState(rd.HardState))
        {
            storage.SetHardState(rd.HardState);
        }

        foreach (var m in rd.Messages)
        {
            _mailbox[m.To].Add(m);
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

    private void DeliverMsgs(ulong id)
    {
        var msgs = _mailbox[id];
        if (msgs.Count == 0)
        {
            return;
        }

        _mailbox[id] = [];
        _out.Append("> ").Append(id).Append(" receiving messages\n");
        foreach (var m in msgs)
        {
            if (_group.GetValueOrDefault(m.From) != _group.GetValueOrDefault(m.To))
            {
                _out.Append("  dropped: ").Append(Describe.MessageText(m)).Append('\n');
                continue;
            }

            _out.Append("  ").Append(Describe.MessageText(m)).Append('\n');
            var result = _nodes[id].Node.Step(m);
            if (result != StepResult.Ok)
            {
                _out.Append("  ").Append(result).Append('\n');
            }
        }
    }

    private void Stabilize(List<ulong> ids)
    {
        for (int round = 0; round < 100; round++)
        {
            bool any = false;
            foreach (ulong id in ids)
            {
                if (_nodes[id].Node.HasReady())
                {
                    ProcessReady(id);
                    any = true;
                }
            }

            foreach (ulong id in ids)
            {
                if (_mailbox[id].Count > 0)
                {
                    DeliverMsgs(id);
                    any = true;
                }
            }

            if (!any)
            {
                return;
            }
        }

        throw new InvalidOperationException("stabilize did not converge in 100 rounds");
    }

    /// <summary>partition 1,2 3: the groups cannot reach each other until heal.</summary>
    private void Partition(IReadOnlyList<string> args)
    {
        _group.Clear();
        for (int g = 0; g < args.Count; g++)
        {
            foreach (string id in args[g].Split(','))
            {
                _group[ulong.Parse(id, CultureInfo.InvariantCulture)] = g + 1;
            }
        }

        _out.Append("ok\n");
    }

    private void Compact(string id, ulong index)
    {
        var (node, storage) = _nodes[ulong.Parse(id, CultureInfo.InvariantCulture)];
        var err = storage.CreateSnapshot(index, node.Raft.Tracker.ConfState(), default, out _);
        if (err == StorageError.None)
        {
            err = storage.Compact(index);
        }

        _out.Append(err == StorageError.None ? "ok" : err.ToString()).Append('\n');
    }

    private void RaftState()
    {
        foreach (var (id, (node, _)) in _nodes)
        {
            var st = node.Status();
            string role = node.Raft.Tracker.Voters.Contains(id) ? "Voter" : node.Raft.IsLearner ? "Learner" : "NonMember";
            _out.Append(id).Append(": ").Append(st.SoftState.RaftState).Append(" (").Append(role).Append(") Term:")
                .Append(st.HardState.Term).Append(" Lead:").Append(st.SoftState.Lead).Append(" Commit:").Append(st.HardState.Commit)
                .Append(" Applied:").Append(st.Applied).Append('\n');
        }
    }

    private void RaftLog(string id)
    {
        var (_, storage) = _nodes[ulong.Parse(id, CultureInfo.InvariantCulture)];
        var entries = new List<Entry>();
        if (storage.LastIndex() >= storage.FirstIndex())
        {
            storage.Entries(storage.FirstIndex(), storage.LastIndex() + 1, ulong.MaxValue, entries);
        }

        if (entries.Count == 0)
        {
            _out.Append("log is empty: first index=").Append(storage.FirstIndex()).Append(", last index=").Append(storage.LastIndex()).Append('\n');
        }

        foreach (var e in entries)
        {
            _out.Append(Describe.EntryText(e)).Append('\n');
        }
    }

    private static ConfChange ParseConfChange(string token)
    {
        var type = token[0] switch
        {
            'v' => ConfChangeType.AddNode,
            'r' => ConfChangeType.RemoveNode,
            'l' => ConfChangeType.AddLearnerNode,
            _ => throw new ArgumentException($"conf change must be v<id>, r<id> or l<id>, not '{token}'"),
        };
        return new ConfChange { ChangeType = type, NodeId = ulong.Parse(token[1..], CultureInfo.InvariantCulture) };
    }
}
