using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft.Tests.Harness;

/// <summary>
/// The synchronous simulated network of the raft unit tests (etcd/raft's <c>network</c>): a FIFO
/// queue of messages delivered one at a time until quiescent, with drop probabilities per
/// direction, ignored message types and a hook.
/// </summary>
internal sealed class Network
{
    private readonly Dictionary<(ulong From, ulong To), double> _drop = [];
    private readonly HashSet<MessageType> _ignore = [];
    private readonly Random _random;

    public Dictionary<ulong, IStateMachine> Peers { get; } = [];

    public Dictionary<ulong, MemoryRaftStorage> Storage { get; } = [];

    /// <summary>Sees every message that passed the filters; returning false drops it.</summary>
    public Func<Message, bool>? MessageHook { get; set; }

    /// <summary>
    /// Builds a network of peers 1..n. A null entry is a fresh raft (election 10, heartbeat 1,
    /// its own storage); a <see cref="RaftCore"/> is used as given with its id set to its
    /// position; a <see cref="BlackHole"/> swallows everything.
    /// </summary>
    public Network(params object?[] peers)
        : this(null, peers)
    {
    }

    /// <summary>A network whose fresh rafts get their configuration through <paramref name="configure"/>.</summary>
    public static Network WithConfig(Func<RaftConfig, RaftConfig> configure, params object?[] peers) => new(configure, peers);

    private Network(Func<RaftConfig, RaftConfig>? configure, object?[] peers)
    {
        _random = new Random(42);
        ulong[] ids = [.. Enumerable.Range(1, peers.Length).Select(i => (ulong)i)];
        for (int i = 0; i < peers.Length; i++)
        {
            ulong id = ids[i];
            switch (peers[i])
            {
                case null:
                    var storage = new MemoryRaftStorage();
                    Storage[id] = storage;
                    var cfg = RaftTestUtil.NewTestConfig(id, ids, 10, 1, storage);
                    cfg = configure is null ? cfg : configure(cfg);
                    Peers[id] = new RaftPeer(new RaftCore(cfg));
                    break;
                case RaftCore r:
                    r.Id = id;
                    r.ResetTrackerForTest(ids);
                    Peers[id] = new RaftPeer(r);
                    break;
                case IStateMachine sm:
                    Peers[id] = sm;
                    break;
                default:
                    throw new ArgumentException($"unexpected peer type {peers[i]!.GetType()}", nameof(peers));
            }
        }
    }

    public RaftCore Raft(ulong id) => ((RaftPeer)Peers[id]).Raft;

    /// <summary>Delivers the messages and every message they cause, until none are left.</summary>
    public void Send(params Message[] msgs)
    {
        var queue = new Queue<Message>(msgs);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            var p = Peers[m.To];
            p.Step(m);
            foreach (var next in Filter(p.ReadMessages()))
            {
                queue.Enqueue(next);
            }
        }
    }

    /// <summary>Drops messages from → to with probability <paramref name="probability"/>.</summary>
    public void Drop(ulong from, ulong to, double probability) => _drop[(from, to)] = probability;

    /// <summary>Drops every message between a and b, both ways.</summary>
    public void Cut(ulong a, ulong b)
    {
        Drop(a, b, 2.0);
        Drop(b, a, 2.0);
    }

    /// <summary>Drops every message to and from <paramref name="id"/>.</summary>
    public void Isolate(ulong id)
    {
        foreach (ulong other in Peers.Keys)
        {
            if (other != id)
            {
                Drop(id, other, 1.0);
                Drop(other, id, 1.0);
            }
        }
    }

    public void Ignore(MessageType type) => _ignore.Add(type);

    /// <summary>Clears every drop and ignore rule.</summary>
    public void Recover()
    {
        _drop.Clear();
        _ignore.Clear();
    }

    private List<Message> Filter(List<Message> msgs)
    {
        var result = new List<Message>();
        foreach (var m in msgs)
        {
            if (_ignore.Contains(m.MsgType))
            {
                continue;
            }

            if (m.MsgType == MessageType.MsgHup)
            {
                throw new InvalidOperationException("MsgHup is local only and never goes on the wire");
            }

            if (_drop.TryGetValue((m.From, m.To), out double p) && _random.NextDouble() < p)
            {
                continue;
            }

            if (MessageHook is not null && !MessageHook(m))
            {
                continue;
            }

            result.Add(m);
        }

        return result;
    }
}
