namespace TinyKv.Network.Tests.AdoNet;

/// <summary>One suite run against every grain storage: ETags make a stale or concurrent writer fail loudly.</summary>
public abstract class GrainStorageConformance
{
    protected abstract IGrainStorage Storage { get; }

    [Fact]
    public async Task WriteThenReadRoundTripsWithANewEtag()
    {
        var grain = NewGrain();
        var state = new Record<string>();
        await Storage.ReadStateAsync("s", grain, state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);

        state.State = "hello";
        await Storage.WriteStateAsync("s", grain, state);
        string? first = state.ETag;
        state.State = "world";
        await Storage.WriteStateAsync("s", grain, state);

        var read = new Record<string>();
        await Storage.ReadStateAsync("s", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("world", read.State);
        Assert.Equal(state.ETag, read.ETag);
        Assert.NotEqual(first, read.ETag);
    }

    [Theory]
    [InlineData("write-after-other-write")]
    [InlineData("first-write-when-record-exists")]
    [InlineData("clear-after-other-write")]
    [InlineData("clear-without-etag-when-record-exists")]
    public async Task AStaleWriterGetsInconsistentStateAndChangesNothing(string scenario)
    {
        var grain = NewGrain();
        var winner = new Record<long> { State = 1 };
        await Storage.WriteStateAsync("s", grain, winner);
        var stale = new Record<long>();
        await Storage.ReadStateAsync("s", grain, stale);
        if (scenario == "first-write-when-record-exists" || scenario == "clear-without-etag-when-record-exists")
        {
            stale.ETag = null;
        }
        else
        {
            winner.State = 2;
            await Storage.WriteStateAsync("s", grain, winner);
        }

        stale.State = 99;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => scenario.StartsWith("clear", StringComparison.Ordinal)
            ? Storage.ClearStateAsync("s", grain, stale)
            : Storage.WriteStateAsync("s", grain, stale));

        Assert.Equal(winner.ETag, error.StoredEtag);
        var read = new Record<long>();
        await Storage.ReadStateAsync("s", grain, read);
        Assert.Equal(winner.State, read.State);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task OfConcurrentWritersFromOneEtagExactlyOneWins()
    {
        var grain = NewGrain();
        var seed = new Record<long> { State = 0 };
        await Storage.WriteStateAsync("s", grain, seed);
        var writers = Enumerable.Range(1, 8).Select(i => new Record<long> { State = i, ETag = seed.ETag, RecordExists = true }).ToList();

        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await Storage.WriteStateAsync("s", grain, w);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, o => o);
        var read = new Record<long>();
        await Storage.ReadStateAsync("s", grain, read);
        Assert.Equal(writers[Array.IndexOf(outcomes, true)].State, read.State);
    }

    [Fact]
    public async Task ClearRemovesTheRecordAndStateNamesAreSeparate()
    {
        var grain = NewGrain();
        var a = new Record<string> { State = "a" };
        var b = new Record<string> { State = "b" };
        await Storage.WriteStateAsync("a", grain, a);
        await Storage.WriteStateAsync("b", grain, b);

        await Storage.ClearStateAsync("a", grain, a);

        var readA = new Record<string>();
        var readB = new Record<string>();
        await Storage.ReadStateAsync("a", grain, readA);
        await Storage.ReadStateAsync("b", grain, readB);
        Assert.False(readA.RecordExists);
        Assert.Equal("b", readB.State);
        a.State = "again";
        await Storage.WriteStateAsync("a", grain, a);
    }

    private static GrainId NewGrain() => GrainId.Create("state-test", Guid.NewGuid());

    private sealed class Record<T> : IGrainState<T>
    {
        public T State { get; set; } = default!;

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }
}

public sealed class SqliteGrainStorageTests : GrainStorageConformance
{
    protected override IGrainStorage Storage { get; } = new AdoNetGrainStorage(Databases.NewSqlite());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageTests(PostgresServer server) : GrainStorageConformance
{
    protected override IGrainStorage Storage { get; } = new AdoNetGrainStorage(Databases.Postgres(server));
}

public sealed class MemoryGrainStorageTests : GrainStorageConformance
{
    protected override IGrainStorage Storage { get; } = new MemoryGrainStorage();
}
