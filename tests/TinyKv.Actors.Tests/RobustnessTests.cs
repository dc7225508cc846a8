using System.Collections.Concurrent;
using TinyKv.Actors.Tests.Grains;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests;

public sealed class RobustnessTests
{
    [Fact]
    public async Task FailedActivationFailsTheWaitingCallsAndTheNextCallActivatesAfresh()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var grain = cluster.GrainFactory.GetGrain<IFailingGrain>(1);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => grain.PingAsync());
        Assert.Equal("first activation fails", error.Message);
        Assert.Equal(2, await grain.PingAsync());
        Assert.Equal(1, cluster.Directory.Count);
    }

    [Fact]
    public async Task MalformedRequestsGetAnErrorResponseAndHarmNothing()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events);
        var silo = cluster.Primary.SiloAddress;
        var stranger = new SiloAddress("stranger", 1, 1);
        var inbox = new Inbox();
        await using var listener = await cluster.Network.ListenAsync(stranger, inbox, CancellationToken.None);
        var connection = await cluster.Network.ConnectAsync(stranger, silo, CancellationToken.None);
        Envelope Request(ulong id, string iface, uint method) => new()
        {
            Version = 1,
            Id = id,
            Kind = EnvelopeKind.Request,
            Sender = new SiloAddressProto { Host = stranger.Host, Port = stranger.Port, Generation = stranger.Generation },
            TargetGrain = new GrainIdProto { Type = iface, KeyKind = (int)GrainKeyKind.Integer, IntKey = 1 },
            InterfaceType = iface,
            MethodId = method,
        };

        await connection.SendAsync(Request(1, "No.Such.IGrain", 1), CancellationToken.None);
        await connection.SendAsync(Request(2, typeof(ICounterGrain).FullName!, 424242), CancellationToken.None);
        await cluster.QuiesceAsync();

        Assert.Contains(inbox.Received, e => e.Id == 1 && e.Exception.Message.Contains("Unknown grain interface", StringComparison.Ordinal));
        Assert.Contains(inbox.Received, e => e.Id == 2 && e.Exception.Message.Contains("no method with id 424242", StringComparison.Ordinal));
        Assert.Equal(1, await cluster.GrainFactory.GetGrain<ICounterGrain>(1).IncrementAsync());
        Assert.True(cluster.Primary.IsActive);
    }

    [Fact]
    public async Task CallsToADeadGatewayFailFastAndLaterCallsUseALiveOne()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(2, events);
        var grains = Enumerable.Range(1, 20).Select(k => cluster.GrainFactory.GetGrain<ICounterGrain>(k)).ToArray();
        await Task.WhenAll(grains.Select(g => g.IncrementAsync()));

        await cluster.KillSiloAsync(cluster.Silos[1]);
        var during = grains.Select(g => g.GetAsync()).ToArray();
        await cluster.WaitForLivenessToStabilizeAsync();

        foreach (var call in during)
        {
            var outcome = await Record.ExceptionAsync(() => call);
            Assert.True(outcome is null or SiloUnavailableException or TimeoutException, $"unexpected {outcome}");
        }

        foreach (var grain in grains)
        {
            await grain.IncrementAsync();
        }
    }

    private sealed class Inbox : IEnvelopeReceiver
    {
        public ConcurrentBag<Envelope> Received { get; } = [];

        public void OnEnvelope(Envelope envelope) => Received.Add(envelope);
    }
}
