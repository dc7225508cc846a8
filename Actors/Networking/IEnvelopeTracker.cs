namespace TinyKv.Actors.Networking;

/// <summary>
/// Observes envelopes crossing TCP hops, so that a test cluster can wait until nothing is in flight
/// (the TCP twin of <see cref="InMemoryNetwork.WhenIdleAsync"/>). A hop is (sending node, receiving
/// node) of one link. <see cref="Sent"/> is called before an envelope is queued on a link;
/// <see cref="Settled"/> once the receiver took it (or relayed it on), or when it was dropped;
/// <see cref="HopClosed"/> when a connection between two nodes closed, since whatever it carried
/// unread is lost. Production transports have none.
/// </summary>
internal interface IEnvelopeTracker
{
    void Sent(SiloAddress from, SiloAddress to);

    void Settled(SiloAddress from, SiloAddress to, int count = 1);

    void HopClosed(SiloAddress one, SiloAddress other);
}
