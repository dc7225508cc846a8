using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Actors.Networking;

namespace TinyKv.Actors;

/// <summary>
/// <see cref="IMessageTransport"/> over TCP: length-prefixed protobuf envelopes, a Kestrel
/// <see cref="ConnectionHandler"/> accepting connections, sockets with System.IO.Pipelines dialing
/// them, a handshake on every connection (cluster id, optional shared secret by challenge-response).
/// One instance per node. Each remote node has one <see cref="PeerLink"/>, shared by every grain:
/// it reuses the connection the remote node opened when there is one, so a silo pair normally
/// talks over one connection, and a client's responses return on the connection it opened.
/// Sockets use inline scheduling: no grain or caller code runs on a read loop or a send pump (they
/// parse, queue and hand work to activations or to the thread pool), so running them on the thread
/// of the socket's completion saves a thread-pool hop per read and one per flush.
/// </summary>
public sealed class TcpMessageTransport : IMessageTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, PeerLink> _links = new();
    private readonly ConcurrentDictionary<SiloAddress, SiloAddress> _routes = new();
    private readonly ILoggerFactory _loggers;
    private readonly bool _acceptConnections;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IEnvelopeReceiver _receiver = NullReceiver.Instance;
    private SiloAddress? _local;

    /// <param name="acceptConnections">False for a cluster client: it listens on no port and is answered on the connections it opens.</param>
    public TcpMessageTransport(TcpTransportOptions options, ILoggerFactory? loggers = null, bool acceptConnections = true)
    {
        options.Validate();
        Options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        Log = _loggers.CreateLogger("TinyKv.Actors.Networking");
        _acceptConnections = acceptConnections;
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = true }, _loggers.CreateLogger("TinyKv.Actors.Networking.Sockets"));
    }

    /// <summary>Connections accepted and dialed, for tests and diagnostics.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Handshakes this node refused.</summary>
    public int RefusedHandshakes => Volatile.Read(ref _refused);

    /// <summary>Connections closed for a protocol violation (bad frame, bad envelope).</summary>
    public int ProtocolViolations => Volatile.Read(ref _violations);

    internal TcpTransportOptions Options { get; }

    /// <summary>
    /// True when the host's own Kestrel accepts this node's connections (a listener added by
    /// <see cref="TcpTransportExtensions.ListenOnHostKestrel"/>), so <see cref="ListenAsync"/> starts no server.
    /// </summary>
    internal bool ListensOnHostKestrel { get; init; }

    /// <summary>Counts envelopes in flight for a test cluster; null in production.</summary>
    internal IEnvelopeTracker? Tracker { get; init; }

    internal ILogger Log { get; }

    /// <summary>False for a cluster client, which listens on no port.</summary>
    internal bool AcceptsConnections => _acceptConnections;

    internal SiloAddress LocalAddress => _local ?? new SiloAddress("unbound", 0, 0);

    internal DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private int _connectionCount;
    private int _refused;
    private int _violations;
    private volatile bool _disposing;

    public async ValueTask<IAsyncDisposable> ListenAsync(SiloAddress localAddress, IEnvelopeReceiver receiver, CancellationToken cancellationToken)
    {
        _local = localAddress;
        _receiver = receiver;
        _listening.TrySetResult();
        WebApplication? server = null;
        if (_acceptConnections && !ListensOnHostKestrel)
        {
            server = await StartServerAsync(localAddress, cancellationToken);
        }

        return new Listener(this, server);
    }

    public ValueTask<IMessageConnection> ConnectAsync(SiloAddress localAddress, SiloAddress remoteAddress, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IMessageConnection>(GetLink(remoteAddress));

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync();
        }

        _links.Clear();
    }

    internal void CountViolation() => Interlocked.Increment(ref _violations);

    /// <summary>Opens a connection and runs the dialer's handshake; null (logged) when either fails.</summary>
    internal async Task<FramedConnection?> DialAsync(SiloAddress remote, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(new DnsEndPoint(remote.Host, remote.Port), remote, cancellationToken);
        }
        catch (Exception e) when (IsDialFailure(e))
        {
            Log.ConnectFailed(LocalAddress, remote, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Dials a gateway known only by its endpoint: the handshake names the silo listening there (with
    /// its generation), and the connection becomes the link of that silo, so the probe and the calls
    /// share one connection. Throws <see cref="HandshakeRefusedException"/>, <see cref="SocketException"/>,
    /// <see cref="IOException"/> or <see cref="OperationCanceledException"/> (the connect timeout).
    /// </summary>
    internal async Task<SiloAddress> ConnectGatewayAsync(EndPoint endpoint, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposing, this);
        var connection = await OpenAsync(endpoint, expected: null, cancellationToken);
        if (_disposing)
        {
            connection.Abort();
            throw new ObjectDisposedException(nameof(TcpMessageTransport));
        }

        AttachToLink(connection, dialable: true);
        return connection.Peer;
    }

    /// <summary>True for the faults of a dial: unreachable, refused, cut short or timed out.</summary>
    internal static bool IsDialFailure(Exception e) =>
        e is SocketException or IOException or OperationCanceledException or HandshakeRefusedException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException;

    /// <summary>
    /// Kestrel's side: the acceptor's handshake, then the read loop until the connection ends. A host's
    /// Kestrel may accept before the silo listens (its server starts first): the handshake then waits
    /// for <see cref="ListenAsync"/>, within the connect timeout. After disposal nothing is accepted.
    /// </summary>
    internal async Task AcceptAsync(ConnectionContext context)
    {
        if (_disposing)
        {
            return;
        }

        (SiloAddress Dialer, bool AcceptsConnections) peer;
        try
        {
            using var timeout = new CancellationTokenSource(Options.ConnectTimeout);
            await _listening.Task.WaitAsync(timeout.Token);
            peer = await Handshake.AcceptAsync(context.Transport, Options, LocalAddress, timeout.Token);
        }
        catch (Exception e) when (e is HandshakeRefusedException or IOException or OperationCanceledException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or ConnectionResetException)
        {
            Interlocked.Increment(ref _refused);
            Log.HandshakeRefused(LocalAddress, context.RemoteEndPoint?.ToString() ?? "?", e.Message);
            return;
        }

        var connection = new FramedConnection(context, this, peer.Dialer, inbound: true, peerIsClient: !peer.AcceptsConnections);
        Interlocked.Increment(ref _connectionCount);
        Log.Connected(LocalAddress, peer.Dialer, "accepted");
        AttachToLink(connection, peer.AcceptsConnections);
        await connection.RunReaderAsync(_receiver);
    }

    /// <summary>
    /// Remembers that <paramref name="node"/> spoke through silo <paramref name="via"/> (a forwarded
    /// call of a client connected to that silo), so answers to it can go back the same way.
    /// </summary>
    internal void LearnRoute(Wire.SiloAddressProto node, SiloAddress via)
    {
        var address = new SiloAddress(node.Host, node.Port, node.Generation);
        if (!_routes.TryGetValue(address, out var known) || known != via)
        {
            _routes[address] = via;
        }
    }

    /// <summary>The link of the silo that last passed on traffic of <paramref name="node"/>, when it is connected.</summary>
    internal PeerLink? RelayFor(SiloAddress node) =>
        _routes.TryGetValue(node, out var via) && _links.TryGetValue(via, out var link) && link.IsConnected ? link : null;

    /// <summary>
    /// Passes on an envelope addressed to another node that is connected to this one (a response to
    /// a client of this gateway produced on another silo); false when the envelope is for this node.
    /// </summary>
    internal bool TryRelay(Wire.Envelope envelope)
    {
        if (envelope.TargetSilo is not { } target || _local is not { } local ||
            target.Port == local.Port && target.Generation == local.Generation && string.Equals(target.Host, local.Host, StringComparison.Ordinal))
        {
            return false;
        }

        if (!_links.TryGetValue(new SiloAddress(target.Host, target.Port, target.Generation), out var link) || !link.IsConnected)
        {
            return false;
        }

        link.Forward(envelope);
        return true;
    }

    /// <summary>
    /// Removes the link of a node that takes no connections (a client) once its last connection
    /// closed: nothing can reach it any more, and a silo must not keep one link per client it ever saw.
    /// </summary>
    internal void Retire(PeerLink link)
    {
        if (_links.TryRemove(new KeyValuePair<SiloAddress, PeerLink>(link.RemoteAddress, link)))
        {
            _ = link.DisposeAsync().AsTask();
        }
    }

    /// <summary>Sends through the current link of <paramref name="node"/> (made when there is none).</summary>
    internal ValueTask SendAsync(SiloAddress node, Wire.Envelope envelope, CancellationToken cancellationToken)
    {
        var link = GetLink(node);
        if (link.IsRetired)
        {
            Retire(link);
            link = GetLink(node);
        }

        return link.SendAsync(envelope, cancellationToken);
    }

    /// <summary>Closes every connection with <paramref name="node"/> at once (diagnostics and tests).</summary>
    internal void Disconnect(SiloAddress node)
    {
        if (_links.TryGetValue(node, out var link))
        {
            link.AbortConnections();
        }
    }

    /// <summary>The number of remote nodes this node keeps a link to, for tests and diagnostics.</summary>
    internal int LinkCount => _links.Count;

    /// <summary>True while a connection to <paramref name="node"/> is open.</summary>
    internal bool IsConnected(SiloAddress node) => _links.TryGetValue(node, out var link) && link.IsConnected;

    /// <summary>Raised with the remote node when a connection this node dialed closes (not while disposing).</summary>
    internal event Action<SiloAddress>? DialedConnectionLost;

    /// <summary>Hands an open connection to its node's link; a link retired meanwhile is replaced.</summary>
    private void AttachToLink(FramedConnection connection, bool dialable)
    {
        for (var link = GetLink(connection.Peer); !link.TryAttach(connection, dialable); link = GetLink(connection.Peer))
        {
            Retire(link);
        }
    }

    private PeerLink GetLink(SiloAddress remote)
    {
        if (_links.TryGetValue(remote, out var link))
        {
            return link;
        }

        var created = new PeerLink(this, remote);
        var winner = _links.GetOrAdd(remote, created);
        if (winner != created)
        {
            _ = created.DisposeAsync().AsTask();
        }

        return winner;
    }

    /// <summary>Connects a socket to <paramref name="endpoint"/> and runs the dialer's handshake; the acceptor must be <paramref name="expected"/> when given.</summary>
    private async Task<FramedConnection> OpenAsync(EndPoint endpoint, SiloAddress? expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ConnectionContext? context = null;
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            context = _sockets.Create(socket);
            var acceptor = await Handshake.DialAsync(context.Transport, Options, LocalAddress, _acceptConnections, timeout.Token);
            if (expected is not null && acceptor != expected)
            {
                throw new HandshakeRefusedException($"{expected.Endpoint} is now {acceptor}, not {expected}");
            }

            var connection = new FramedConnection(context, this, acceptor, inbound: false, peerIsClient: false);
            Interlocked.Increment(ref _connectionCount);
            Log.Connected(LocalAddress, acceptor, "dialed");
            _ = RunConnectionAsync(connection, context);
            return connection;
        }
        catch
        {
            if (context is not null)
            {
                await context.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    private async Task RunConnectionAsync(FramedConnection connection, ConnectionContext context)
    {
        await connection.RunReaderAsync(_receiver);
        await context.DisposeAsync();
        if (!_disposing)
        {
            DialedConnectionLost?.Invoke(connection.Peer);
        }
    }

    private async Task<WebApplication> StartServerAsync(SiloAddress localAddress, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggers);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(new SiloConnectionHandler(this));
        var endpoint = new IPEndPoint(Options.ListenAddress, localAddress.Port);
        builder.WebHost.UseKestrelCore().UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true).ConfigureKestrel(kestrel =>
            kestrel.Listen(endpoint, listen => listen.UseConnectionHandler<SiloConnectionHandler>()));
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        Log.Listening(localAddress, endpoint.ToString());
        return app;
    }

    private sealed class Listener(TcpMessageTransport transport, WebApplication? server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            transport._receiver = NullReceiver.Instance;
            await transport.DisposeAsync();
            if (server is not null)
            {
                using var now = new CancellationTokenSource();
                await now.CancelAsync();
                await server.StopAsync(now.Token);
                await server.DisposeAsync();
            }
        }
    }

    private sealed class NullReceiver : IEnvelopeReceiver
    {
        public static readonly NullReceiver Instance = new();

        public void OnEnvelope(Wire.Envelope envelope)
        {
        }
    }
}
