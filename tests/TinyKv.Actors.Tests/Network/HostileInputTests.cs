using System.Buffers.Binary;
using Google.Protobuf;
using TinyKv.Actors.Tests.Grains;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests.Network;

/// <summary>
/// Bad bytes against a silo's port close that connection only, with a logged and counted reason;
/// the silo, its grains and other clients carry on.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string> AfterHandshake => ["garbage-frame", "oversized-frame", "negative-length", "truncated-frame", "spoofed-sender", "undefined-interface"];

    [Theory]
    [MemberData(nameof(AfterHandshake))]
    public async Task ABadFrameAfterTheHandshakeClosesOnlyThatConnection(string attack)
    {
        await using var cluster = new TcpSilos();
        var silo = await cluster.StartSiloAsync();
        var good = await cluster.ConnectClientAsync();
        var counter = good.GetGrain<ICounterGrain>(1);
        Assert.Equal(1, await counter.IncrementAsync());

        await using var peer = await RawPeer.ConnectAsync(silo);
        var self = new SiloAddress("client", 1, 7);
        Assert.Equal(silo.SiloAddress, await peer.HandshakeAsync(new TcpTransportOptions { ClusterId = cluster.ClusterId }, self));
        await peer.SendAsync(Frame(attack, self));
        if (attack == "truncated-frame")
        {
            peer.ShutdownSend();
        }

        Assert.True(await peer.WaitClosedByPeerAsync(Bound), $"{attack}: the silo kept the connection open");
        Assert.Equal(1, cluster.Transports[0].ProtocolViolations);
        Assert.Equal(2, await counter.IncrementAsync());
        Assert.True(silo.IsRunning);
    }

    [Fact]
    public async Task GarbageInsteadOfAHelloIsRefused()
    {
        await using var cluster = new TcpSilos();
        var silo = await cluster.StartSiloAsync();
        await using var peer = await RawPeer.ConnectAsync(silo);

        var garbage = new byte[512];
        new Random(42).NextBytes(garbage);
        await peer.SendAsync(garbage);

        Assert.True(await peer.WaitClosedByPeerAsync(Bound));
        Assert.Equal(1, cluster.Transports[0].RefusedHandshakes);
        var client = await cluster.ConnectClientAsync();
        Assert.Equal(1, await client.GetGrain<ICounterGrain>(5).IncrementAsync());
    }

    [Theory]
    [InlineData("other-cluster", null, "cluster id")]
    [InlineData("tcp-tests", "wrong-secret", "shared secret")]
    [InlineData("tcp-tests", null, "shared secret")]
    public async Task AWrongClusterIdOrSecretIsRefusedAndLogged(string clusterId, string? secret, string reason)
    {
        await using var cluster = new TcpSilos(secret: "right-secret");
        var silo = await cluster.StartSiloAsync();
        var good = await cluster.ConnectClientAsync();
        Assert.Equal(1, await good.GetGrain<ICounterGrain>(1).IncrementAsync());

        await using var peer = await RawPeer.ConnectAsync(silo);
        var refused = await Assert.ThrowsAsync<TinyKv.Actors.Networking.HandshakeRefusedException>(
            () => peer.HandshakeAsync(new TcpTransportOptions { ClusterId = clusterId, SharedSecret = secret }, new SiloAddress("client", 2, 1)));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        await peer.DisposeAsync();

        Assert.Equal(2, await good.GetGrain<ICounterGrain>(1).IncrementAsync());
    }

    [Fact]
    public async Task TheRightSecretIsAccepted()
    {
        await using var cluster = new TcpSilos(secret: "s3cret");
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var client = await cluster.ConnectClientAsync();

        for (int key = 0; key < 8; key++)
        {
            Assert.Equal(1, await client.GetGrain<ICounterGrain>(key).IncrementAsync());
        }

        Assert.All(cluster.Transports, t => Assert.Equal(0, t.RefusedHandshakes));
    }

    private static byte[] Frame(string attack, SiloAddress self)
    {
        switch (attack)
        {
            case "garbage-frame":
                return [.. Header(3), 0xFF, 0xFF, 0xFF];
            case "oversized-frame":
                return Header(64 * 1024 * 1024);
            case "negative-length":
                return Header(-5);
            case "truncated-frame":
                return [.. Header(100), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
            case "undefined-interface":
                var request = new Envelope { Version = 1, Id = 9, Kind = EnvelopeKind.Request, InterfaceId = 5, MethodId = 1 }.ToByteArray();
                return [.. Header(request.Length), .. request];
            default:
                var spoofed = new Envelope
                {
                    Version = 1,
                    Kind = EnvelopeKind.Ping,
                    Sender = new SiloAddressProto { Host = "client", Port = self.Port + 1, Generation = self.Generation },
                }.ToByteArray();
                return [.. Header(spoofed.Length), .. spoofed];
        }
    }

    private static byte[] Header(int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        return header;
    }
}
