using Google.Protobuf;
using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.ReadOnly;

/// <summary>
/// The leader's pending ReadIndex requests in arrival order (etcd/raft's readOnly, Raft thesis
/// §6.4). A heartbeat round acknowledged by a quorum confirms every request up to the one whose
/// context it carried, because later heartbeats are sent after earlier ones.
/// </summary>
internal sealed class ReadOnlyQueue(ReadOnlyOption option)
{
    private readonly Dictionary<ByteString, ReadIndexStatus> _pending = [];
    private readonly List<ByteString> _queue = [];

    public ReadOnlyOption Option { get; } = option;

    public int PendingCount => _queue.Count;

    /// <summary>Queues a request (its context is Entries[0].Data) read at <paramref name="index"/>; duplicates are ignored.</summary>
    public void AddRequest(ulong index, Message request)
    {
        var ctx = request.Entries[0].Data;
        if (_pending.ContainsKey(ctx))
        {
            return;
        }

        _pending[ctx] = new ReadIndexStatus(request, index);
        _queue.Add(ctx);
    }

    /// <summary>Records a heartbeat acknowledgement for the request with this context; returns its acks, or null if unknown.</summary>
    public IReadOnlyDictionary<ulong, bool>? RecvAck(ulong id, ByteString context)
    {
        if (!_pending.TryGetValue(context, out var status))
        {
            return null;
        }

        status.Acks[id] = true;
        return status.Acks;
    }

    /// <summary>Dequeues and returns every request up to and including the one with the context of <paramref name="m"/>.</summary>
    public List<ReadIndexStatus> Advance(Message m)
    {
        var result = new List<ReadIndexStatus>();
        int i = _queue.IndexOf(m.Context);
        if (i < 0)
        {
            return result;
        }

        for (int j = 0; j <= i; j++)
        {
            var ctx = _queue[j];
            result.Add(_pending[ctx]);
            _pending.Remove(ctx);
        }

        _queue.RemoveRange(0, i + 1);
        return result;
    }

    /// <summary>The context of the newest pending request, carried by the next heartbeat round.</summary>
    public ByteString? LastPendingRequestCtx() => _queue.Count == 0 ? null : _queue[^1];
}
