namespace TinyKv.Storage.Tests.Conformance;

public abstract partial class KvEngineConformance
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(129)]
    [InlineData(5000)]
    public async Task Engine_get_reads_the_latest_version_like_a_new_snapshot(int valueLength)
    {
        var engine = NewEngine();
        byte[] first = [.. Enumerable.Repeat((byte)1, valueLength)];
        byte[] second = [.. Enumerable.Repeat((byte)2, valueLength)];
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Write, B("k"), first));
        using var before = engine.Snapshot();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Write, B("k"), second));

        Assert.Equal(second, engine.Get(ColumnFamily.Write, B("k")));
        Assert.Equal(first, before.Get(ColumnFamily.Write, B("k")));
        Assert.Null(engine.Get(ColumnFamily.Default, B("k")));
        Assert.Null(engine.Get(ColumnFamily.Write, B("other")));

        await engine.WriteAsync(new WriteBatch().Delete(ColumnFamily.Write, B("k")));
        Assert.Null(engine.Get(ColumnFamily.Write, B("k")));
    }

    /// <summary>Reads race a writer that overwrites and trims the key's chain: a key that always exists is never missed.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(4000)]
    public async Task Engine_get_never_misses_a_key_overwritten_concurrently(int valueLength)
    {
        var engine = NewEngine();
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("k"), new byte[valueLength]));
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            long reads = 0;
            while (!stop.IsCancellationRequested || reads < 1000)
            {
                var value = engine.Get(ColumnFamily.Default, B("k"));
                Assert.NotNull(value);
                Assert.Equal(valueLength, value.Length);
                reads++;
            }
        });
        for (int i = 0; i < 2000; i++)
        {
            byte[] value = new byte[valueLength];
            value[0] = (byte)i;
            await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("k"), value));
        }

        await stop.CancelAsync();
        await reader;
    }
}
