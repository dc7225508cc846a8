using TinyKv.Storage;
using TinyKv.Storage.Memory;

namespace TinyKv.Storage.Tests;

public sealed class MemoryEngineSmokeTests
{
    [Fact]
    public async Task Snapshot_does_not_see_later_writes()
    {
        using var engine = new MemoryEngine();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, [1], [42]));
        using var snapshot = engine.Snapshot();
        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Default, [1]));

        Assert.Equal([42], snapshot.Get(ColumnFamily.Default, [1]));
        using var latest = engine.Snapshot();
        Assert.Null(latest.Get(ColumnFamily.Default, [1]));
    }
}
