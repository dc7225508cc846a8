namespace TinyKv.TestingHost;

/// <summary>
/// Splits nodes into groups: an envelope between two nodes of different groups is dropped. A node
/// in no group (a client, say) reaches everyone. Groups are by endpoint, so a restarted silo stays
/// in its group.
/// </summary>
public sealed class PartitionFilter : INetworkFilter
{
    private readonly Dictionary<string, int> _groupOf = new(StringComparer.Ordinal);

    public PartitionFilter(IEnumerable<IEnumerable<SiloAddress>> groups)
    {
        int index = 0;
        foreach (var group in groups)
        {
            foreach (var silo in group)
            {
                _groupOf[silo.Endpoint] = index;
            }

            index++;
        }
    }

    public NetworkVerdict Filter(in NetworkMessage message) =>
        _groupOf.TryGetValue(message.From.Endpoint, out int a) && _groupOf.TryGetValue(message.To.Endpoint, out int b) && a != b
            ? NetworkVerdict.DropIt
            : NetworkVerdict.Deliver;
}
