using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests.Network;

/// <summary>A link whose connection dies dials again (after its backoff) once the remote node listens again.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task ALinkReconnectsAfterTheRemoteListenerComesBack()
    {
        var options = new TcpTransportOptions { ClusterId = "reconnect", InitialReconnectBackoff = TimeSpan.FromMilliseconds(20) };
        var server = new SiloAddress("127.0.0.1", FreePorts.Next(), 1);
        var client = new SiloAddress("127.0.0.1", FreePorts.Next(), 1);
        var inbox = new Inbox();
        await using var sender = new TcpMessageTransport(options);
        await using var senderListener = await sender.ListenAsync(client, new Inbox(), CancellationToken.None);
        var link = await sender.ConnectAsync(client, server, CancellationToken.None);

        var receiver = new TcpMessageTransport(options);
        var listener = await receiver.ListenAsync(server, inbox, CancellationToken.None);
        await SendUntilReceivedAsync(link, client, server, inbox);
        await listener.DisposeAsync();

        var restarted = new TcpMessageTransport(options);
        await using var restartedListener = await restarted.ListenAsync(server, inbox, CancellationToken.None);
        await SendUntilReceivedAsync(link, client, server, inbox);

        Assert.True(sender.ConnectionCount >= 2);
    }

    /// <summary>Sends pings on a periodic timer until one arrives; envelopes sent while the link is down are dropped by contract.</summary>
    private static async Task SendUntilReceivedAsync(IMessageConnection link, SiloAddress from, SiloAddress to, Inbox inbox)
    {
        var arrived = inbox.Next();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        do
        {
            await link.SendAsync(new Envelope
            {
                Version = 1,
                Kind = EnvelopeKind.Ping,
                Sender = new SiloAddressProto { Host = from.Host, Port = from.Port, Generation = from.Generation },
                TargetSilo = new SiloAddressProto { Host = to.Host, Port = to.Port, Generation = to.Generation },
            }, CancellationToken.None);
        }
        while (!arrived.IsCompleted && await timer.WaitForNextTickAsync(timeout.Token));
    }

    private sealed class Inbox : IEnvelopeReceiver
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next()
        {
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _next, next);
            return next.Task;
        }

        public void OnEnvelope(Envelope envelope) => Volatile.Read(ref _next).TrySetResult();
    }
}
