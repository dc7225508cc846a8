using System.IO.Pipelines;
using System.Net.Sockets;
using TinyKv.Actors.Networking;

namespace TinyKv.Actors.Tests.Network;

/// <summary>A hand-driven TCP peer for hostile-input tests: raw bytes, or the real handshake then raw bytes.</summary>
internal sealed class RawPeer : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static async Task<RawPeer> ConnectAsync(Silo silo)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(silo.SiloAddress.Host, silo.SiloAddress.Port);
        return new RawPeer(socket);
    }

    /// <summary>Runs the dialer's handshake as a client named <paramref name="self"/>.</summary>
    public Task<SiloAddress> HandshakeAsync(TcpTransportOptions options, SiloAddress self) =>
        Handshake.DialAsync(this, options, self, acceptsConnections: false, CancellationToken.None);

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads until the other side closes; false when it is still open after <paramref name="bound"/>.</summary>
    public async Task<bool> WaitClosedByPeerAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
