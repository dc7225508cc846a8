namespace TinyKv.Actors;

/// <summary>
/// The membership table (Orleans' IMembershipTable): the only shared truth about which silos are
/// in the cluster. Every insert and update is conditional: on the row's ETag and on the table
/// version (the version row moves forward by one per write), so concurrent voters and joiners
/// serialize through optimistic concurrency. Implementations: in memory here; ADO.NET next.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the table and the version row if missing.</summary>
    Task InitializeMembershipTableAsync(bool tryInitTableVersion);

    Task DeleteMembershipTableEntriesAsync(string clusterId);

    /// <summary>Removes dead rows older than <paramref name="beforeDate"/>.</summary>
    Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate);

    Task<MembershipTableData> ReadRowAsync(SiloAddress key);

    Task<MembershipTableData> ReadAllAsync();

    /// <summary>False when the row exists or <paramref name="tableVersion"/> is not current + 1.</summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion);

    /// <summary>False when <paramref name="etag"/> is stale or <paramref name="tableVersion"/> is not current + 1.</summary>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion);

    /// <summary>Unconditional write of IAmAliveTime only (it does not move the version).</summary>
    Task UpdateIAmAliveAsync(MembershipEntry entry);
}
