using System.Data.Common;
using System.Globalization;
using TinyKv.Actors.AdoNet;

namespace TinyKv.Actors;

/// <summary>
/// The membership table on SQLite or PostgreSQL (Orleans' AdoNetClusteringTable). Each insert and
/// update runs in one transaction with a conditional update of the cluster's version row
/// (<c>version = expected - 1</c>) and, for updates, of the row's ETag: a concurrent writer makes
/// one of them affect no row, and that one returns false and changes nothing. ReadAll is one
/// statement, so the rows and the version come from one snapshot.
/// </summary>
public sealed class AdoNetMembershipTable : IMembershipTable
{
    private const string Columns = "address, port, generation, silo_name, host_name, status, suspect_times, start_time, i_am_alive_time, hosted_store_ids, etag";

    private readonly AdoNetDatabase _database;
    private readonly string _clusterId;

    public AdoNetMembershipTable(AdoNetOptions options, string clusterId)
    {
        _database = new AdoNetDatabase(options);
        _clusterId = clusterId;
    }

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion)
    {
        await using var connection = await _database.OpenAsync();
        if (tryInitTableVersion)
        {
            await AdoNetDatabase.ExecuteAsync(connection, null,
                "INSERT INTO tinykv_membership_version (cluster_id, version, updated_at) VALUES (@cluster, 0, @now) ON CONFLICT DO NOTHING",
                ("@cluster", _clusterId), ("@now", Now()));
        }
    }

    public async Task DeleteMembershipTableEntriesAsync(string clusterId)
    {
        await using var connection = await _database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await AdoNetDatabase.ExecuteAsync(connection, transaction, "DELETE FROM tinykv_membership WHERE cluster_id = @cluster", ("@cluster", clusterId));
        await AdoNetDatabase.ExecuteAsync(connection, transaction, "DELETE FROM tinykv_membership_version WHERE cluster_id = @cluster", ("@cluster", clusterId));
        await transaction.CommitAsync();
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate)
    {
        await using var connection = await _database.OpenAsync();
        await AdoNetDatabase.ExecuteAsync(connection, null,
            "DELETE FROM tinykv_membership WHERE cluster_id = @cluster AND status = @dead AND i_am_alive_time < @before",
            ("@cluster", _clusterId), ("@dead", (long)SiloStatus.Dead), ("@before", beforeDate.ToUnixTimeMilliseconds()));
    }

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key)
    {
        var all = await ReadAllAsync();
        return all with { Members = [.. all.Members.Where(m => m.Entry.SiloAddress == key)] };
    }

    public async Task<MembershipTableData> ReadAllAsync()
    {
        await using var connection = await _database.OpenAsync();
        await using var command = AdoNetDatabase.Command(connection,
            $"SELECT v.version, m.{Columns.Replace(", ", ", m.", StringComparison.Ordinal)} FROM tinykv_membership_version v " +
            "LEFT JOIN tinykv_membership m ON m.cluster_id = v.cluster_id WHERE v.cluster_id = @cluster ORDER BY m.address, m.port, m.generation",
            null, ("@cluster", _clusterId));
        await using var reader = await command.ExecuteReaderAsync();
        int version = 0;
        var members = new List<(MembershipEntry, string)>();
        while (await reader.ReadAsync())
        {
            version = (int)reader.GetInt64(0);
            if (!await reader.IsDBNullAsync(1))
            {
                members.Add(ReadEntry(reader));
            }
        }

        return new MembershipTableData(members, new TableVersion(version, version.ToString(CultureInfo.InvariantCulture)));
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion)
    {
        await using var connection = await _database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await BumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }

        var parameters = EntryParameters(entry, etag: 1);
        int inserted = await AdoNetDatabase.ExecuteAsync(connection, transaction,
            $"INSERT INTO tinykv_membership (cluster_id, {Columns}) VALUES (@cluster, @address, @port, @generation, @silo_name, @host_name, @status, @suspect_times, @start_time, @i_am_alive_time, @hosted_store_ids, @etag) ON CONFLICT DO NOTHING",
            parameters);
        if (inserted != 1)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long expected))
        {
            return false;
        }

        await using var connection = await _database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await BumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }

        var parameters = EntryParameters(entry, etag: expected + 1).Append(("@expected", expected)).ToArray();
        int updated = await AdoNetDatabase.ExecuteAsync(connection, transaction,
            "UPDATE tinykv_membership SET silo_name = @silo_name, host_name = @host_name, status = @status, suspect_times = @suspect_times, " +
            "start_time = @start_time, i_am_alive_time = @i_am_alive_time, hosted_store_ids = @hosted_store_ids, etag = @etag " +
            "WHERE cluster_id = @cluster AND address = @address AND port = @port AND generation = @generation AND etag = @expected",
            parameters);
        if (updated != 1)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task UpdateIAmAliveAsync(MembershipEntry entry)
    {
        await using var connection = await _database.OpenAsync();
        await AdoNetDatabase.ExecuteAsync(connection, null,
            "UPDATE tinykv_membership SET i_am_alive_time = @i_am_alive_time WHERE cluster_id = @cluster AND address = @address AND port = @port AND generation = @generation",
            ("@i_am_alive_time", entry.IAmAliveTime.ToUnixTimeMilliseconds()), ("@cluster", _clusterId),
            ("@address", entry.SiloAddress.Host), ("@port", (long)entry.SiloAddress.Port), ("@generation", (long)entry.SiloAddress.Generation));
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<bool> BumpVersionAsync(DbConnection connection, DbTransaction transaction, TableVersion tableVersion) =>
        await AdoNetDatabase.ExecuteAsync(connection, transaction,
            "UPDATE tinykv_membership_version SET version = @next, updated_at = @now WHERE cluster_id = @cluster AND version = @current",
            ("@next", (long)tableVersion.Version), ("@current", (long)tableVersion.Version - 1), ("@now", Now()), ("@cluster", _clusterId)) == 1;

    private (string, object?)[] EntryParameters(MembershipEntry entry, long etag) =>
    [
        ("@cluster", _clusterId),
        ("@address", entry.SiloAddress.Host),
        ("@port", (long)entry.SiloAddress.Port),
        ("@generation", (long)entry.SiloAddress.Generation),
        ("@silo_name", entry.SiloName),
        ("@host_name", entry.HostName),
        ("@status", (long)entry.Status),
        ("@suspect_times", MembershipRowCodec.WriteSuspectTimes(entry.SuspectTimes)),
        ("@start_time", entry.StartTime.ToUnixTimeMilliseconds()),
        ("@i_am_alive_time", entry.IAmAliveTime.ToUnixTimeMilliseconds()),
        ("@hosted_store_ids", string.Join(',', entry.HostedStoreIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))),
        ("@etag", etag),
    ];

    private static (MembershipEntry, string) ReadEntry(DbDataReader reader)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = new SiloAddress(reader.GetString(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3)),
            SiloName = reader.GetString(4),
            HostName = reader.GetString(5),
            Status = (SiloStatus)reader.GetInt64(6),
            SuspectTimes = MembershipRowCodec.ReadSuspectTimes(reader.GetString(7)),
            StartTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
            IAmAliveTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
            HostedStoreIds = reader.GetString(10).Length == 0 ? [] : [.. reader.GetString(10).Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture))],
        };
        return (entry, reader.GetInt64(11).ToString(CultureInfo.InvariantCulture));
    }
}
