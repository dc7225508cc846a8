using System.Threading.Channels;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests.Network;

/// <summary>
/// Addresses a connection already names travel implied: the sender when it is the sending end, a
/// call's target when it is the receiving end. The receiver sees the sender, and a request's target,
/// as if they had been sent; every other address crosses the wire as given.
/// </summary>
public sealed class ImpliedAddressTests
{
    public static TheoryData<EnvelopeKind, bool, bool, bool> Cases => new()
    {
        // kind, sender is the sending node, target is the receiving node, target arrives
        { EnvelopeKind.Response, true, true, false },
        { EnvelopeKind.Response, false, true, false },
        { EnvelopeKind.Response, true, false, true },
        { EnvelopeKind.Request, true, true, true },
        { EnvelopeKind.Request, false, false, true },
        { EnvelopeKind.OneWay, true, true, true },
        { EnvelopeKind.Ping, true, true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheReceiverSeesTheAddressesTheSenderMeant(EnvelopeKind kind, bool fromSender, bool toReceiver, bool targetArrives)
    {
        var options = new TcpTransportOptions { ClusterId = "implied" };
        var a = new SiloAddress("127.0.0.1", FreePorts.Next(), 1);
        var b = new SiloAddress("127.0.0.1", FreePorts.Next(), 1);
        var elsewhere = new SiloAddress("127.0.0.1", FreePorts.Next(), 7);
        var inbox = Channel.CreateUnbounded<Envelope>();
        await using var sending = new TcpMessageTransport(options);
        await using var sendingListener = await sending.ListenAsync(a, new Inbox(Channel.CreateUnbounded<Envelope>()), CancellationToken.None);
        await using var receiving = new TcpMessageTransport(options);
        await using var receivingListener = await receiving.ListenAsync(b, new Inbox(inbox), CancellationToken.None);
        var link = await sending.ConnectAsync(a, b, CancellationToken.None);
        var sender = fromSender ? a : elsewhere;
        var target = toReceiver ? b : elsewhere;

        await link.SendAsync(new Envelope { Version = 1, Id = 42, Kind = kind, Sender = Proto(sender), TargetSilo = Proto(target) }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await inbox.Reader.ReadAsync(timeout.Token);

        Assert.Equal(42ul, received.Id);
        Assert.Equal(Proto(sender), received.Sender);
        Assert.Equal(targetArrives ? Proto(target) : null, received.TargetSilo);
    }

    private static SiloAddressProto Proto(SiloAddress address) => new() { Host = address.Host, Port = address.Port, Generation = address.Generation };

    private sealed class Inbox(Channel<Envelope> envelopes) : IEnvelopeReceiver
    {
        public void OnEnvelope(Envelope envelope) => envelopes.Writer.TryWrite(envelope);
    }
}
