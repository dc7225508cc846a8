using TinyKv.Storage.Faster;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>
/// <see cref="WriteBatch.PutUncopied"/> and <see cref="WriteBatch.DeleteUncopied"/>: the batch holds the
/// caller's arrays, validates them like <see cref="WriteBatch.Put"/>, and the FASTER engine keeps none of
/// them once the write has completed (<see cref="IKvCopyingWrites"/>).
/// </summary>
public sealed class WriteBatchUncopiedTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_batch_holds_the_callers_arrays_and_counts_them_like_copies()
    {
        byte[] key = [1, 2];
        byte[] value = [3, 4, 5];

        var batch = new WriteBatch().PutUncopied(ColumnFamily.Lock, key, value).DeleteUncopied(ColumnFamily.Default, key);

        Assert.Same(key, batch.Operations[0].Key);
        Assert.Same(value, batch.Operations[0].Value);
        Assert.Equal(WriteOpKind.Delete, batch.Operations[1].Kind);
        Assert.Same(key, batch.Operations[1].Key);
        Assert.Empty(batch.Operations[1].Value);
        Assert.Equal(7, batch.DataSize);
    }

    [Theory]
    [InlineData(StorageLimits.MaxKeySize + 1, 0, "key")]
    [InlineData(0, StorageLimits.MaxValueSize + 1, "value")]
    public void Oversized_keys_and_values_are_refused_like_copied_ones_and_add_nothing(int keyLength, int valueLength, string parameter)
    {
        var batch = new WriteBatch();

        var error = Assert.Throws<ArgumentException>(() => batch.PutUncopied(ColumnFamily.Default, new byte[keyLength], new byte[valueLength]));

        Assert.Equal(parameter, error.ParamName);
        Assert.True(batch.IsEmpty);
        Assert.Throws<ArgumentException>(() => batch.DeleteUncopied(ColumnFamily.Default, new byte[StorageLimits.MaxKeySize + 1]));
        Assert.True(batch.IsEmpty);
    }

    [Fact]
    public async Task The_engine_keeps_no_uncopied_array_once_the_write_completed()
    {
        using var engine = FasterKvEngine.Open(new FasterKvOptions { Directory = _directory.Sub("engine") });
        byte[] key = [7];
        byte[] value = [1, 1, 1];
        byte[] gone = [8];
        await engine.WriteAsync(new WriteBatch().Put(ColumnFamily.Default, gone, [0]));

        await engine.WriteAsync(new WriteBatch { Sync = true }.PutUncopied(ColumnFamily.Default, key, value).DeleteUncopied(ColumnFamily.Default, gone));
        value.AsSpan().Fill(9);
        key[0] = 8;
        gone[0] = 7;

        Assert.Equal(new byte[] { 1, 1, 1 }, engine.Get(ColumnFamily.Default, [7]));
        Assert.Null(engine.Get(ColumnFamily.Default, [8]));
    }
}
