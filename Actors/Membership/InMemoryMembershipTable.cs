using System.Globalization;

namespace TinyKv.Actors;

/// <summary>
/// The membership table in memory: shared by every silo of one process given the same instance.
/// It stands for an external database, so network filters never affect it. Thread-safe.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly object _gate = new();
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, long ETag)> _rows = [];
    private TableVersion _version = new(0, "0");
    private long _etags;

    public Task InitializeMembershipTableAsync(bool tryInitTableVersion) => Task.CompletedTask;

    public Task DeleteMembershipTableEntriesAsync(string clusterId)
    {
        lock (_gate)
        {
            _rows.Clear();
        }

        return Task.CompletedTask;
    }

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate)
    {
        lock (_gate)
        {
            foreach (var key in _rows.Where(r => r.Value.Entry.Status == SiloStatus.Dead && r.Value.Entry.IAmAliveTime < beforeDate).Select(r => r.Key).ToList())
            {
                _rows.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key)
    {
        lock (_gate)
        {
            var members = _rows.TryGetValue(key, out var row) ? [(row.Entry, Etag(row.ETag))] : Array.Empty<(MembershipEntry, string)>();
            return Task.FromResult(new MembershipTableData(members, _version));
        }
    }

    public Task<MembershipTableData> ReadAllAsync()
    {
        lock (_gate)
        {
            var members = _rows.Values.OrderBy(r => r.Entry.SiloAddress).Select(r => (r.Entry, Etag(r.ETag))).ToList();
            return Task.FromResult(new MembershipTableData(members, _version));
        }
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey(entry.SiloAddress) || tableVersion.Version != _version.Version + 1)
            {
                return Task.FromResult(false);
            }

            _rows[entry.SiloAddress] = (entry, ++_etags);
            _version = NextVersion(tableVersion);
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(entry.SiloAddress, out var row) || Etag(row.ETag) != etag || tableVersion.Version != _version.Version + 1)
            {
                return Task.FromResult(false);
            }

            _rows[entry.SiloAddress] = (entry, ++_etags);
            _version = NextVersion(tableVersion);
            return Task.FromResult(true);
        }
    }

    public Task UpdateIAmAliveAsync(MembershipEntry entry)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(entry.SiloAddress, out var row))
            {
                _rows[entry.SiloAddress] = (row.Entry with { IAmAliveTime = entry.IAmAliveTime }, row.ETag);
            }
        }

        return Task.CompletedTask;
    }

    private static string Etag(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static TableVersion NextVersion(TableVersion v) => new(v.Version, v.Version.ToString(CultureInfo.InvariantCulture));
}
