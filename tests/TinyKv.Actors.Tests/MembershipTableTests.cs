namespace TinyKv.Actors.Tests;

public sealed class MembershipTableTests
{
    private static readonly SiloAddress Silo1 = new("127.0.0.1", 11111, 1);

    [Fact]
    public async Task WritesAreConditionalOnTheTableVersionAndTheRowEtag()
    {
        var table = new InMemoryMembershipTable();
        var empty = await table.ReadAllAsync();
        var entry = new MembershipEntry { SiloAddress = Silo1, Status = SiloStatus.Joining };

        Assert.False(await table.InsertRowAsync(entry, empty.Version));
        Assert.True(await table.InsertRowAsync(entry, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(entry, empty.Version.Next().Next()));

        var read = await table.ReadAllAsync();
        var (row, etag) = read.TryGet(Silo1)!.Value;
        Assert.False(await table.UpdateRowAsync(row with { Status = SiloStatus.Active }, "stale", read.Version.Next()));
        Assert.False(await table.UpdateRowAsync(row with { Status = SiloStatus.Active }, etag, read.Version));
        Assert.True(await table.UpdateRowAsync(row with { Status = SiloStatus.Active }, etag, read.Version.Next()));
        Assert.False(await table.UpdateRowAsync(row with { Status = SiloStatus.Dead }, etag, read.Version.Next().Next()));

        var final = await table.ReadAllAsync();
        Assert.Equal(2, final.Version.Version);
        Assert.Equal(SiloStatus.Active, final.TryGet(Silo1)!.Value.Entry.Status);
    }

    [Fact]
    public async Task IAmAliveDoesNotMoveTheVersion()
    {
        var table = new InMemoryMembershipTable();
        var entry = new MembershipEntry { SiloAddress = Silo1, Status = SiloStatus.Active };
        await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next());
        var alive = new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero);

        await table.UpdateIAmAliveAsync(entry with { IAmAliveTime = alive, Status = SiloStatus.Dead });

        var read = await table.ReadAllAsync();
        Assert.Equal(1, read.Version.Version);
        Assert.Equal(alive, read.TryGet(Silo1)!.Value.Entry.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, read.TryGet(Silo1)!.Value.Entry.Status);
    }

    [Fact]
    public void SnapshotTreatsSupersededGenerationsAsDead()
    {
        var old = new SiloAddress("127.0.0.1", 11111, 1);
        var renewed = old with { Generation = 2 };
        var snapshot = new MembershipSnapshot(3, [new MembershipEntry { SiloAddress = old, Status = SiloStatus.Active }, new MembershipEntry { SiloAddress = renewed, Status = SiloStatus.Active }]);

        Assert.True(snapshot.IsDead(old));
        Assert.False(snapshot.IsDead(renewed));
        Assert.False(snapshot.IsDead(new SiloAddress("client", 1, 1)));
    }

    [Fact]
    public async Task DirectoryRegistrationIsFirstWriterWinsAndTakeoverNeedsThePreviousEntry()
    {
        var directory = new InMemoryGrainDirectory();
        var id = GrainId.Create("T", 1);
        var first = new GrainAddress(id, Silo1, Guid.NewGuid());
        var second = new GrainAddress(id, Silo1 with { Port = 2 }, Guid.NewGuid());

        Assert.Equal(first, await directory.RegisterAsync(first, null));
        Assert.Equal(first, await directory.RegisterAsync(second, null));
        Assert.Equal(second, await directory.RegisterAsync(second, first));
        await directory.UnregisterAsync(first);
        Assert.Equal(second, await directory.LookupAsync(id));
        Assert.True(directory.TryLookupCached(id, out var known));
        Assert.Equal(second, known);
        await directory.UnregisterSilosAsync([second.Silo]);
        Assert.Null(await directory.LookupAsync(id));
        Assert.False(directory.TryLookupCached(id, out _));
    }
}
