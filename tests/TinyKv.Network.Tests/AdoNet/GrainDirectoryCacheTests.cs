namespace TinyKv.Network.Tests.AdoNet;

/// <summary>
/// The ADO.NET directory's synchronous lookup answers only what this silo already learned (a
/// registration or a lookup it made), and forgets entries it unregistered; the database stays the authority.
/// </summary>
public sealed class GrainDirectoryCacheTests
{
    [Fact]
    public async Task TheCacheKnowsOnlyWhatThisSiloRegisteredOrLookedUp()
    {
        var database = Databases.NewSqlite();
        string cluster = $"c-{Guid.NewGuid():N}";
        var mine = new AdoNetGrainDirectory(database, cluster);
        var other = new AdoNetGrainDirectory(database, cluster);
        var id = GrainId.Create("T", 7);
        var address = new GrainAddress(id, new SiloAddress("127.0.0.1", 11111, 1), Guid.NewGuid());

        Assert.False(mine.TryLookupCached(id, out _));
        Assert.Equal(address, await mine.RegisterAsync(address, null));
        Assert.True(mine.TryLookupCached(id, out var registered));
        Assert.Equal(address, registered);

        Assert.False(other.TryLookupCached(id, out _));
        Assert.Equal(address, await other.LookupAsync(id));
        Assert.True(other.TryLookupCached(id, out var learned));
        Assert.Equal(address, learned);

        await mine.UnregisterAsync(address);
        Assert.False(mine.TryLookupCached(id, out _));
        Assert.Null(await mine.LookupAsync(id));
    }
}
