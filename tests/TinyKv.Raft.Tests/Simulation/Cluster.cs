using Google.Protobuf;
using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Tests.Simulation;

/// <summary>
/// A seeded, randomized cluster: 3–5 servers over an asynchronous network that drops,
/// duplicates, delays and reorders messages, partitions, crashes and restarts servers, and
/// takes proposals and membership changes. Every step ends with the safety checks.
/// </summary>
internal sealed class Cluster
{
    private readonly Random _random;
    private readonly List<(long DeliverAt, Message Message)> _inFlight = [];
    private readonly SafetyChecker _checker = new();
    private readonly HashSet<(ulong From, ulong To)> _cut = [];
    private readonly List<string> _trace = [];
    private long _step;
    private int _proposals;
    private int _reads;

    public Cluster(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
        int size = 3 + _random.Next(3);
        bool preVote = _random.Next(2) == 0;
        var bootstrap = new ConfState();
        bootstrap.Voters.AddRange([1, 2, 3]);
        Nodes = [.. Enumerable.Range(1, size).Select(i => new SimNode((ulong)i, bootstrap, preVote, seed))];
        Trace($"size={size} preVote={preVote}");
    }

    public int Seed { get; }

    /// <summary>The highest term any server reached: a measure of how many elections the faults caused.</summary>
    public ulong MaxTerm => Nodes.Where(n => n.IsUp).Select(n => n.Raft.Term).DefaultIfEmpty(0UL).Max();

    public List<SimNode> Nodes { get; }

    public IReadOnlyList<string> RecentTrace => _trace.TakeLast(40).ToList();

    /// <summary>Runs <paramref name="steps"/> random steps with faults, then heals and checks liveness.</summary>
    public void Run(int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            _step++;
            RandomStep();
            _checker.Check(Nodes);
        }

        Heal();
        CheckLiveness();
    }

    private void RandomStep()
    {
        int roll = _random.Next(100);
        var node = Nodes[_random.Next(Nodes.Count)];
        switch (roll)
        {
            case < 20:
                if (node.IsUp)
                {
                    node.Node!.Tick();
                }

                break;
            case < 35:
                foreach (var n in Nodes.Where(n => n.IsUp))
                {
                    n.Node!.Tick();
                }

                break;
            case < 60:
                for (int i = 0; i < 3; i++)
                {
                    DeliverOne();
                }

                break;
            case < 75:
                if (node.IsUp)
                {
                    Send(node.HandleReady(_checker));
                }

                break;
            case < 80:
                Propose(node);
                break;
            case < 83:
                if (node.IsUp)
                {
                    string ctx = $"s{Seed}-r{_reads++}";
                    _checker.OnReadRequested(ctx);
                    node.Node!.ReadIndex(ByteString.CopyFromUtf8(ctx));
                }

                break;
            case < 85:
                ProposeConfChange(node);
                break;
            case < 88:
                Partition();
                break;
            case < 91:
                _cut.Clear();
                Trace("heal partition");
                break;
            case < 94:
                if (node.IsUp && _random.Next(3) == 0)
                {
                    Trace($"crash {node.Id}");
                    node.Crash();
                }
                else if (!node.IsUp && !node.Tombstoned)
                {
                    Trace($"restart {node.Id}");
                    node.Start();
                }

                break;
            case < 96:
                if (node.IsUp)
                {
                    node.Compact();
                }

                break;
            default:
                foreach (var n in Nodes.Where(n => n.IsUp))
                {
                    Send(n.HandleReady(_checker));
                }

                break;
        }
    }

    private void Propose(SimNode node)
    {
        if (!node.IsUp)
        {
            return;
        }

        var result = node.Node!.Propose(ByteString.CopyFromUtf8($"s{Seed}-p{_proposals++}"));
        Trace($"propose at {node.Id}: {result}");
    }

    private void ProposeConfChange(SimNode node)
    {
        if (!node.IsUp || node.Raft.State != StateType.Leader)
        {
            return;
        }

        var voters = node.Raft.Tracker.Voters.Ids;
        var candidates = Nodes.Where(n => !n.Tombstoned && !node.Raft.Tracker.Progress.ContainsKey(n.Id)).ToList();
        ConfChange cc;
        if (candidates.Count > 0 && (voters.Count <= 3 || _random.Next(2) == 0))
        {
            var add = candidates[_random.Next(candidates.Count)];
            cc = new ConfChange { ChangeType = _random.Next(3) == 0 ? ConfChangeType.AddLearnerNode : ConfChangeType.AddNode, NodeId = add.Id };
        }
        else if (voters.Count > 3)
        {
            cc = new ConfChange { ChangeType = ConfChangeType.RemoveNode, NodeId = voters[_random.Next(voters.Count)] };
        }
        else
        {
            var learner = node.Raft.Tracker.Learners.FirstOrDefault();
            if (learner == 0)
            {
                return;
            }

            cc = new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = learner };
        }

        var result = node.Node!.ProposeConfChange(cc);
        Trace($"conf change at {node.Id}: {cc.ChangeType} {cc.NodeId}: {result}");
    }

    private void Partition()
    {
        _cut.Clear();
        // Half the time cut the leader off alone: the hardest case for stale leaders and reads.
        var leader = Nodes.FirstOrDefault(n => n.IsUp && n.Raft.State == StateType.Leader);
        var minority = leader is not null && _random.Next(2) == 0
            ? [leader.Id]
            : Nodes.Where(_ => _random.Next(2) == 0).Select(n => n.Id).ToHashSet();
        foreach (var a in Nodes)
        {
            foreach (var b in Nodes)
            {
                if (minority.Contains(a.Id) != minority.Contains(b.Id))
                {
                    _cut.Add((a.Id, b.Id));
                }
            }
        }

        Trace($"partition {{{string.Join(",", minority)}}}");
    }

    private void Send(List<Message> msgs)
    {
        foreach (var m in msgs)
        {
            int roll = _random.Next(100);
            if (roll < 5)
            {
                ReportLost(m);
                continue;
            }

            long delay = _random.Next(4) == 0 ? _random.Next(1, 30) : 0;
            _inFlight.Add((_step + delay, m));
            if (roll >= 97)
            {
                _inFlight.Add((_step + _random.Next(1, 30), m.Clone()));
            }
        }
    }

    private void DeliverOne()
    {
        var ready = new List<int>();
        for (int i = 0; i < _inFlight.Count; i++)
        {
            if (_inFlight[i].DeliverAt <= _step)
            {
                ready.Add(i);
            }
        }

        if (ready.Count == 0)
        {
            return;
        }

        // Any deliverable message, not the oldest: the network reorders.
        int pick = ready[_random.Next(ready.Count)];
        var m = _inFlight[pick].Message;
        _inFlight.RemoveAt(pick);
        Deliver(m);
    }

    private void Deliver(Message m)
    {
        var to = Nodes[(int)m.To - 1];
        if (!to.IsUp || _cut.Contains((m.From, m.To)))
        {
            ReportLost(m);
            return;
        }

        // A message may be delivered twice (duplicates): give each step its own copy.
        to.Node!.Step(m.Clone());
        if (m.MsgType == MessageType.MsgSnapshot && Nodes[(int)m.From - 1] is { IsUp: true } sender)
        {
            sender.Node!.ReportSnapshot(m.To, failed: false);
        }
    }

    /// <summary>The transport tells the sender what it could not deliver, as a real one would.</summary>
    private void ReportLost(Message m)
    {
        if (Nodes[(int)m.From - 1] is not { IsUp: true } sender)
        {
            return;
        }

        if (m.MsgType == MessageType.MsgSnapshot)
        {
            sender.Node!.ReportSnapshot(m.To, failed: true);
        }
        else if (_random.Next(4) == 0)
        {
            sender.Node!.ReportUnreachable(m.To);
        }
    }

    /// <summary>Heals everything, restarts crashed servers and drives rounds until a leader commits a new proposal.</summary>
    private void CheckLiveness()
    {
        string marker = $"s{Seed}-liveness";
        bool proposed = false;
        for (int round = 0; round < 400; round++)
        {
            _step++;
            foreach (var n in Nodes.Where(n => n.IsUp))
            {
                n.Node!.Tick();
            }

            Quiesce();
            _checker.Check(Nodes);
            var leader = Nodes.FirstOrDefault(n => n.IsUp && n.Raft.State == StateType.Leader && n.Raft.Tracker.Progress.ContainsKey(n.Id));
            if (leader is null)
            {
                continue;
            }

            if (!proposed || round % 20 == 0)
            {
                proposed = leader.Node!.Propose(ByteString.CopyFromUtf8(marker)) == StepResult.Ok;
                Quiesce();
                _checker.Check(Nodes);
            }

            var log = leader.Raft.RaftLog;
            var committed = new List<Entry>();
            if (log.Committed >= log.FirstIndex()
                && log.Slice(log.FirstIndex(), log.Committed + 1, ulong.MaxValue, committed) == Storage.StorageError.None
                && committed.Any(e => e.Data.ToStringUtf8() == marker))
            {
                return;
            }
        }

        throw new SafetyViolation("liveness: no leader committed a new proposal within 400 rounds after healing:\n" + Describe());
    }

    private void Heal()
    {
        _cut.Clear();
        foreach (var n in Nodes.Where(n => !n.IsUp && !n.Tombstoned))
        {
            n.Start();
        }

        Trace("heal all");
    }

    private void Quiesce()
    {
        for (int i = 0; i < 50; i++)
        {
            bool any = false;
            foreach (var n in Nodes.Where(n => n.IsUp))
            {
                var msgs = n.HandleReady(_checker);
                any |= msgs.Count > 0;
                foreach (var m in msgs)
                {
                    _inFlight.Add((_step, m));
                }
            }

            var deliver = _inFlight.ToList();
            _inFlight.Clear();
            foreach (var (_, m) in deliver)
            {
                Deliver(m);
            }

            if (!any && deliver.Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>One line per server, for failure messages.</summary>
    public string Describe() => string.Join("\n", Nodes.Select(n => !n.IsUp
        ? $"  {n.Id}: down tombstoned={n.Tombstoned}"
        : $"  {n.Id}: {n.Raft.State} term={n.Raft.Term} lead={n.Raft.Lead} vote={n.Raft.Vote} commit={n.Raft.RaftLog.Committed} applied={n.Applied} last={n.Raft.RaftLog.LastIndex()}@{n.Raft.RaftLog.LastTerm()} first={n.Raft.RaftLog.FirstIndex()} voters={n.Raft.Tracker.Voters} learners=({string.Join(" ", n.Raft.Tracker.Learners)}) pendingSnap={n.Raft.RaftLog.HasPendingSnapshot}"));

    private void Trace(string line) => _trace.Add($"[{_step}] {line}");
}
