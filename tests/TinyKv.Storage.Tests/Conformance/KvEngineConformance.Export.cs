namespace TinyKv.Storage.Tests.Conformance;

public abstract partial class KvEngineConformance
{
    [Fact]
    public async Task A_range_export_installs_exactly_its_range_on_another_engine()
    {
        var source = NewEngine();
        var target = NewEngine();
        var fill = new WriteBatch();
        foreach (var cf in ColumnFamilies.All)
        {
            foreach (string k in new[] { "a", "b", "c", "d" })
            {
                fill.Put(cf, B(k), B($"{cf}-{k}"));
            }
        }

        await source.WriteAsync(fill);
        await target.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("b2"), B("stale")).Put(ColumnFamily.Write, B("a"), B("keep")));
        using var stream = new MemoryStream();
        using (var snapshot = source.Snapshot())
        {
            await KvRangeExport.ExportAsync(snapshot, B("b"), B("d"), stream);
        }

        await source.WriteAsync(new WriteBatch().Delete(ColumnFamily.Default, B("b")));
        stream.Position = 0;
        await target.WriteAsync(await KvRangeExport.ImportAsync(stream));

        Assert.Equal(["b", "c"], Keys(target, ColumnFamily.Default));
        Assert.Equal(["b", "c"], Keys(target, ColumnFamily.Lock));
        Assert.Equal(["a", "b", "c"], Keys(target, ColumnFamily.Write));
        Assert.Empty(Keys(target, ColumnFamily.Meta));
        Assert.Equal(B("Default-b"), Get(target, ColumnFamily.Default, "b"));
        Assert.Equal(B("keep"), Get(target, ColumnFamily.Write, "a"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("foreign")]
    public async Task A_damaged_range_export_is_refused(string damage)
    {
        var source = NewEngine();
        await source.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, B("a"), B("1")));
        using var stream = new MemoryStream();
        using (var snapshot = source.Snapshot())
        {
            await KvRangeExport.ExportAsync(snapshot, [], [], stream);
        }

        byte[] bytes = stream.ToArray();
        bytes = damage switch
        {
            "truncated" => bytes[..^3],
            "flipped" => [.. bytes[..10], (byte)(bytes[10] ^ 1), .. bytes[11..]],
            _ => [1, 2, 3, .. bytes],
        };

        await Assert.ThrowsAsync<InvalidDataException>(() => KvRangeExport.ImportAsync(new MemoryStream(bytes)));
    }
}
