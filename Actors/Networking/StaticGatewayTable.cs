using System.Net;

namespace TinyKv.Actors.Networking;

/// <summary>
/// The membership a client sees when it is given gateway endpoints instead of a membership table
/// (Orleans' static clustering). Reading it dials every endpoint whose link is down through the
/// client's own transport: the handshake names the silo listening there (host, port, generation),
/// and that connection is the one later calls use, so a read leaves no extra connection or link on
/// the silo. A silo that answered is Active; an address an endpoint no longer answers as (down, or
/// restarted as a newer generation) is Dead, so the calls waiting on it fail at once and new calls
/// go to the other gateways. Read-only: clients never write membership.
/// </summary>
internal sealed class StaticGatewayTable : IMembershipTable
{
    private readonly TcpMessageTransport _transport;
    private readonly IReadOnlyList<EndPoint> _gateways;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SiloAddress?[] _answered;
    private readonly Dictionary<SiloAddress, SiloStatus> _known = [];
    private int _version;

    public StaticGatewayTable(TcpMessageTransport transport, IReadOnlyList<EndPoint> gateways)
    {
        if (gateways.Count == 0)
        {
            throw new ArgumentException("Static clustering needs at least one gateway endpoint.", nameof(gateways));
        }

        _transport = transport;
        _gateways = gateways;
        _answered = new SiloAddress?[gateways.Count];
    }

    /// <summary>
    /// Dials the gateways; throws <see cref="HandshakeRefusedException"/> when none accepted and one
    /// refused the handshake (a wrong cluster id or secret), or <see cref="SiloUnavailableException"/>
    /// when none answered; both name every endpoint with its reason.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var failures = await ProbeAsync(cancellationToken);
        if (failures.Count < _gateways.Count)
        {
            return;
        }

        string reasons = string.Join("; ", failures.Select(f => $"{f.Gateway}: {f.Failure.Message}"));
        if (failures.Any(f => f.Failure is HandshakeRefusedException))
        {
            throw new HandshakeRefusedException($"No gateway accepted this client: {reasons}", new AggregateException(failures.Select(f => f.Failure)));
        }

        throw new SiloUnavailableException($"No gateway answered: {reasons}", new AggregateException(failures.Select(f => f.Failure)));
    }

    public async Task<MembershipTableData> ReadAllAsync()
    {
        await ProbeAsync(CancellationToken.None);
        return Snapshot();
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

    private static NotSupportedException ReadOnly() => new("a client's static gateway list is read-only");

    /// <summary>Dials the endpoints whose link is down (all at once) and records who answered; returns the failures.</summary>
    private async Task<List<(EndPoint Gateway, Exception Failure)>> ProbeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var outcomes = await Task.WhenAll(_gateways.Select((gateway, i) => ProbeOneAsync(gateway, _answered[i], cancellationToken)));
            var failures = new List<(EndPoint, Exception)>();
            lock (_known)
            {
                for (int i = 0; i < outcomes.Length; i++)
                {
                    var (silo, failure) = outcomes[i];
                    if (_answered[i] is { } previous && previous != silo)
                    {
                        _known[previous] = SiloStatus.Dead;
                    }

                    if (silo is not null)
                    {
                        _known[silo] = SiloStatus.Active;
                        _answered[i] = silo;
                    }
                    else
                    {
                        failures.Add((_gateways[i], failure!));
                    }
                }

                _version++;
            }

            return failures;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(SiloAddress? Silo, Exception? Failure)> ProbeOneAsync(EndPoint gateway, SiloAddress? previous, CancellationToken cancellationToken)
    {
        if (previous is not null && _transport.IsConnected(previous))
        {
            return (previous, null);
        }

        try
        {
            return (await _transport.ConnectGatewayAsync(gateway, cancellationToken), null);
        }
        catch (Exception e) when (TcpMessageTransport.IsDialFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            return (null, e);
        }
    }

    private MembershipTableData Snapshot()
    {
        lock (_known)
        {
            var rows = _known.Select(k => (new MembershipEntry { SiloAddress = k.Key, Status = k.Value }, "static")).ToList();
            return new MembershipTableData(rows, new TableVersion(_version, "static"));
        }
    }
}
