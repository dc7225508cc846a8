namespace TinyKv.Network.Tests.AdoNet;

/// <summary>One suite run against every membership table: Orleans' optimistic concurrency rules.</summary>
public abstract class MembershipTableConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract IMembershipTable CreateTable(string clusterId);

    [Fact]
    public async Task InsertNeedsTheNextVersionAndAnUnknownRow()
    {
        var table = await NewTableAsync();
        var a = Entry("10.0.0.1", 11111, 1);

        var empty = await table.ReadAllAsync();
        Assert.Equal(0, empty.Version.Version);
        Assert.False(await table.InsertRowAsync(a, new TableVersion(5, "5")));
        Assert.True(await table.InsertRowAsync(a, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(a, new TableVersion(2, "2")));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        var row = Assert.Single(data.Members);
        Assert.Equal((a.SiloAddress, a.Status, a.StartTime, a.IAmAliveTime, a.SiloName, a.HostName), (row.Entry.SiloAddress, row.Entry.Status, row.Entry.StartTime, row.Entry.IAmAliveTime, row.Entry.SiloName, row.Entry.HostName));
        Assert.Equal(a.HostedStoreIds, row.Entry.HostedStoreIds);
        Assert.Empty(row.Entry.SuspectTimes);
    }

    [Fact]
    public async Task UpdateNeedsTheRowsEtagAndTheNextVersion()
    {
        var table = await NewTableAsync();
        var a = Entry("10.0.0.1", 11111, 1);
        Assert.True(await table.InsertRowAsync(a, new TableVersion(1, "0")));
        var data = await table.ReadAllAsync();
        var (entry, etag) = data.Members[0];
        var voted = entry with { Status = SiloStatus.Dead, SuspectTimes = [(Entry("10.0.0.2", 1, 2).SiloAddress, T0.AddSeconds(3))] };

        Assert.False(await table.UpdateRowAsync(voted, etag + "0", data.Version.Next()));
        Assert.False(await table.UpdateRowAsync(voted, etag, data.Version));
        Assert.True(await table.UpdateRowAsync(voted, etag, data.Version.Next()));
        Assert.False(await table.UpdateRowAsync(voted, etag, data.Version.Next().Next()));

        var after = await table.ReadAllAsync();
        Assert.Equal(2, after.Version.Version);
        Assert.Equal(SiloStatus.Dead, after.Members[0].Entry.Status);
        Assert.Equal(voted.SuspectTimes, after.Members[0].Entry.SuspectTimes);
    }

    [Fact]
    public async Task OfConcurrentWritersAtOneVersionExactlyOneWins()
    {
        var table = await NewTableAsync();
        var data = await table.ReadAllAsync();
        var wins = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => table.InsertRowAsync(Entry("10.0.0.1", 11111, i), data.Version.Next())));

        Assert.Single(wins, w => w);
        Assert.Single((await table.ReadAllAsync()).Members);
    }

    [Fact]
    public async Task IAmAliveMovesNeitherTheVersionNorTheEtag()
    {
        var table = await NewTableAsync();
        var a = Entry("10.0.0.1", 11111, 1);
        Assert.True(await table.InsertRowAsync(a, new TableVersion(1, "0")));
        var before = await table.ReadAllAsync();

        await table.UpdateIAmAliveAsync(a with { IAmAliveTime = T0.AddMinutes(5) });

        var after = await table.ReadAllAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Members[0].ETag, after.Members[0].ETag);
        Assert.Equal(T0.AddMinutes(5), after.Members[0].Entry.IAmAliveTime);
    }

    [Fact]
    public async Task ClustersAreSeparateAndDefunctDeadRowsAreCleanedUp()
    {
        string cluster = $"c-{Guid.NewGuid():N}";
        var table = CreateTable(cluster);
        var other = CreateTable(cluster + "-other");
        await table.InitializeMembershipTableAsync(true);
        await other.InitializeMembershipTableAsync(true);
        Assert.True(await table.InsertRowAsync(Entry("10.0.0.1", 1, 1) with { Status = SiloStatus.Dead }, new TableVersion(1, "0")));
        Assert.True(await table.InsertRowAsync(Entry("10.0.0.1", 2, 1), new TableVersion(2, "1")));

        Assert.Empty((await other.ReadAllAsync()).Members);
        await table.CleanupDefunctSiloEntriesAsync(T0.AddDays(1));
        var left = Assert.Single((await table.ReadAllAsync()).Members);
        Assert.Equal(2, left.Entry.SiloAddress.Port);
    }

    private async Task<IMembershipTable> NewTableAsync()
    {
        var table = CreateTable($"c-{Guid.NewGuid():N}");
        await table.InitializeMembershipTableAsync(true);
        await table.InitializeMembershipTableAsync(true);
        return table;
    }

    private static MembershipEntry Entry(string host, int port, int generation) => new()
    {
        SiloAddress = new SiloAddress(host, port, generation),
        Status = SiloStatus.Active,
        StartTime = T0,
        IAmAliveTime = T0,
        SiloName = $"silo-{port}",
        HostName = "host",
        HostedStoreIds = [1, 7],
    };
}

public sealed class SqliteMembershipTableTests : MembershipTableConformance
{
    private readonly AdoNetOptions _options = Databases.NewSqlite();

    protected override IMembershipTable CreateTable(string clusterId) => new AdoNetMembershipTable(_options, clusterId);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipTableTests(PostgresServer server) : MembershipTableConformance
{
    protected override IMembershipTable CreateTable(string clusterId) => new AdoNetMembershipTable(Databases.Postgres(server), clusterId);
}

public sealed class InMemoryMembershipTableTests : MembershipTableConformance
{
    private readonly Dictionary<string, InMemoryMembershipTable> _tables = [];

    protected override IMembershipTable CreateTable(string clusterId)
    {
        if (!_tables.TryGetValue(clusterId, out var table))
        {
            _tables[clusterId] = table = new InMemoryMembershipTable();
        }

        return table;
    }
}
