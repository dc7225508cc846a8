using TinyKv.Actors;

namespace TinyKv.Client;

/// <summary>
/// The membership a client sees when it knows only endpoints: one Active row per silo that answered
/// the last probe, and a Dead row for an address an endpoint no longer has (a restarted or vanished
/// silo), so calls waiting on it fail at once. Read-only: clients never write membership.
/// </summary>
internal sealed class GatewayMembershipTable(IReadOnlyList<GatewayEndpoint> endpoints, TinyKvClientOptions options) : IMembershipTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SiloAddress, SiloStatus> _known = [];
    private int _version;

    /// <summary>Probes every endpoint; throws <see cref="TinyKvUnavailableException"/> when none answers.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var found = new List<SiloAddress>();
        TinyKvUnavailableException? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                found.Add(await GatewayProbe.ProbeAsync(endpoint, options, cancellationToken));
            }
            catch (TinyKvUnavailableException e) when (!e.Refused)
            {
                last = e;
            }
        }

        lock (_gate)
        {
            foreach (var silo in _known.Keys.ToList())
            {
                if (!found.Contains(silo))
                {
                    _known[silo] = SiloStatus.Dead;
                }
            }

            foreach (var silo in found)
            {
                _known[silo] = SiloStatus.Active;
            }

            _version++;
        }

        if (found.Count == 0)
        {
            throw last ?? new TinyKvUnavailableException("no endpoint answered");
        }
    }

    public Task<MembershipTableData> ReadAllAsync()
    {
        lock (_gate)
        {
            var rows = _known.Select(k => (new MembershipEntry { SiloAddress = k.Key, Status = k.Value }, "probe")).ToList();
            return Task.FromResult(new MembershipTableData(rows, new TableVersion(_version, "probe")));
        }
    }

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key)
    {
        var all = await ReadAllAsync();
        return all with { Members = [.. all.Members.Where(m => m.Entry.SiloAddress == key)] };
    }

    public Task InitializeMembershipTableAsync(bool tryInitTableVersion) => Task.CompletedTask;

    public Task DeleteMembershipTableEntriesAsync(string clusterId) => throw ReadOnly();

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate) => throw ReadOnly();

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion) => throw ReadOnly();

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion) => throw ReadOnly();

    public Task UpdateIAmAliveAsync(MembershipEntry entry) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("a client's gateway membership is read-only");
}
