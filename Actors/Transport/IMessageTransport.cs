using TinyKv.Actors.Wire;

namespace TinyKv.Actors;

/// <summary>
/// Moves envelopes between nodes (silos and clients). The runtime keeps one connection per remote
/// node and reuses it for every grain. Implementations: <see cref="InMemoryNetwork"/> (one process,
/// with network filters); TCP over Kestrel next. Contract: envelopes sent on one connection arrive
/// in order or not at all; a transport never throws for an unreachable peer on send, it drops (the
/// caller's response timeout and membership handle the loss).
/// </summary>
public interface IMessageTransport
{
    /// <summary>Starts accepting envelopes for <paramref name="localAddress"/>; dispose to stop.</summary>
    ValueTask<IAsyncDisposable> ListenAsync(SiloAddress localAddress, IEnvelopeReceiver receiver, CancellationToken cancellationToken);

    ValueTask<IMessageConnection> ConnectAsync(SiloAddress localAddress, SiloAddress remoteAddress, CancellationToken cancellationToken);
}

/// <summary>Where a transport hands received envelopes. Must not block: it runs on the transport's delivery thread.</summary>
public interface IEnvelopeReceiver
{
    void OnEnvelope(Envelope envelope);
}

/// <summary>One direction of traffic to one remote node.</summary>
public interface IMessageConnection : IAsyncDisposable
{
    SiloAddress RemoteAddress { get; }

    ValueTask SendAsync(Envelope envelope, CancellationToken cancellationToken);
}
