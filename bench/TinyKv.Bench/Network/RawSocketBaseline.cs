using System.Net;
using System.Net.Sockets;

namespace TinyKv.Bench.Network;

/// <summary>
/// The baseline: plain async sockets on loopback, one 64-byte request and one 64-byte response at a
/// time per connection (no framing library, no coalescing, no serialization), over 32 connections.
/// </summary>
internal sealed class RawSocketBaseline : IAsyncDisposable
{
    public const int MessageSize = 64;

    private readonly Socket _listener;
    private readonly List<Socket> _clients = [];
    private readonly List<Socket> _served = [];
    private readonly List<Task> _servers = [];
    private readonly CancellationTokenSource _stop = new();

    private RawSocketBaseline(Socket listener)
    {
        _listener = listener;
    }

    public static async Task<RawSocketBaseline> StartAsync(int connections)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(connections);
        var baseline = new RawSocketBaseline(listener);
        for (int i = 0; i < connections; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(listener.LocalEndPoint!);
            var served = await listener.AcceptAsync();
            served.NoDelay = true;
            baseline._clients.Add(client);
            baseline._served.Add(served);
            baseline._servers.Add(Task.Run(() => EchoAsync(served, baseline._stop.Token)));
        }

        return baseline;
    }

    /// <summary>Round trips/s with p50/p99, and the CPU of this process per round trip (both ends run here).</summary>
    public Task<LoopResult> MeasureAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var buffers = _clients.Select(_ => new byte[MessageSize]).ToArray();
        return CallLoops.MeasureAsync(i => RoundTripAsync(_clients[i], buffers[i], cancellationToken), _clients.Count, duration, cancellationToken, costs: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _clients.Concat(_served))
        {
            socket.Dispose();
        }

        await Task.WhenAll(_servers);
        _listener.Dispose();
        _stop.Dispose();
    }

    private static async Task RoundTripAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
        await ReceiveExactlyAsync(socket, buffer, cancellationToken);
    }

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MessageSize];
        try
        {
            while (await ReceiveExactlyAsync(socket, buffer, cancellationToken))
            {
                await socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The baseline is being torn down.
        }
    }

    private static async Task<bool> ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
