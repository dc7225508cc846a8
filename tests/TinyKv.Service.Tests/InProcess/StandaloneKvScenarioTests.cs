using TinyKv.Storage;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>TinyKV project 1 (kv/server/server_test.go, StandaloneKV) against the raw KV grain on a TestCluster.</summary>
public sealed class StandaloneKvScenarioTests : IAsyncLifetime
{
    private StoreCluster _kv = null!;

    public async Task InitializeAsync() => _kv = await StoreCluster.StartAsync();

    public async Task DisposeAsync() => await _kv.DisposeAsync();

    [Fact]
    public async Task RawGetReadsWhatTheEngineHolds()
    {
        await _kv.PutDirectAsync(ColumnFamily.Default, [99], [42]);

        var response = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(99), Cf = "default" });

        Assert.Null(response.Error);
        Assert.False(response.NotFound);
        Assert.Equal(new byte[] { 42 }, response.Value.ToByteArray());
    }

    [Fact]
    public async Task RawGetOfAMissingKeyIsNotFoundWithoutError()
    {
        var response = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(99), Cf = "default" });

        Assert.Null(response.Error);
        Assert.True(response.NotFound);
    }

    [Fact]
    public async Task RawPutIsSeenByADirectRead()
    {
        var response = await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(99), Value = Bytes(42), Cf = "default" });

        Assert.Null(response.Error);
        Assert.Equal(new byte[] { 42 }, _kv.GetDirect(ColumnFamily.Default, [99]));
    }

    [Fact]
    public async Task ColumnFamiliesAreIsolated()
    {
        await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(99), Value = Bytes(42), Cf = "default" });
        await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(99), Value = Bytes(44), Cf = "write" });

        var fromDefault = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(99), Cf = "default" });
        var fromWrite = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(99), Cf = "write" });

        Assert.Equal(new byte[] { 42 }, fromDefault.Value.ToByteArray());
        Assert.Equal(new byte[] { 44 }, fromWrite.Value.ToByteArray());
    }

    [Fact]
    public async Task RawGetAfterRawDeleteIsNotFound()
    {
        await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(99), Value = Bytes(42), Cf = "default" });

        var deleted = await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = Bytes(99), Cf = "default" });
        var response = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(99), Cf = "default" });

        Assert.Null(deleted.Error);
        Assert.True(response.NotFound);
    }

    [Fact]
    public async Task RawDeleteRemovesTheKeyFromTheEngineAndAMissingKeyIsNoError()
    {
        await _kv.PutDirectAsync(ColumnFamily.Default, [99], [42]);

        var deleted = await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = Bytes(99), Cf = "default" });
        var again = await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = Bytes(99), Cf = "default" });

        Assert.Null(deleted.Error);
        Assert.Null(again.Error);
        Assert.Null(_kv.GetDirect(ColumnFamily.Default, [99]));
    }

    [Fact]
    public async Task RawScanStopsAtTheLimit()
    {
        await PutKeysAsync(1, 5);

        var response = await _kv.Grain.RawScanAsync(new RawScanRequest { StartKey = Bytes(1), Limit = 3, Cf = "default" });

        Assert.Null(response.Error);
        Assert.Equal([1, 2, 3], response.Kvs.Select(p => (int)p.Key[0]));
        Assert.All(response.Kvs, p => Assert.Equal(new byte[] { 233, p.Key[0] }, p.Value.ToByteArray()));
    }

    [Fact]
    public async Task RawScanSeesARawPut()
    {
        await PutKeysAsync(1, 4);
        await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(5), Value = Bytes(233, 5), Cf = "default" });

        var response = await _kv.Grain.RawScanAsync(new RawScanRequest { StartKey = Bytes(1), Limit = 10, Cf = "default" });

        Assert.Equal([1, 2, 3, 4, 5], response.Kvs.Select(p => (int)p.Key[0]));
    }

    [Fact]
    public async Task RawScanSkipsADeletedKey()
    {
        await PutKeysAsync(1, 4);
        await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = Bytes(3), Cf = "default" });

        var response = await _kv.Grain.RawScanAsync(new RawScanRequest { StartKey = Bytes(1), Limit = 10, Cf = "default" });

        Assert.Equal([1, 2, 4], response.Kvs.Select(p => (int)p.Key[0]));
    }

    [Fact]
    public async Task AnIteratorOpenedBeforeARawDeleteStillSeesTheKey()
    {
        await PutKeysAsync(1, 4);
        using var snapshot = _kv.Engine.Snapshot();
        using var iterator = snapshot.NewIterator(ColumnFamily.Default);

        await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = Bytes(3), Cf = "default" });

        var keys = new List<int>();
        for (iterator.Seek([1]); iterator.Valid; iterator.Next())
        {
            keys.Add(iterator.Key[0]);
        }

        Assert.Equal([1, 2, 3, 4], keys);
    }

    [Fact]
    public async Task RawScanHonoursTheEndKey()
    {
        await PutKeysAsync(1, 5);

        var response = await _kv.Grain.RawScanAsync(new RawScanRequest { StartKey = Bytes(2), EndKey = Bytes(4), Cf = "default" });

        Assert.Equal([2, 3], response.Kvs.Select(p => (int)p.Key[0]));
    }

    [Fact]
    public async Task BatchPutIsReadBackByBatchGetInRequestOrderWithoutMissingKeys()
    {
        var put = new RawBatchPutRequest { Cf = "lock" };
        put.Pairs.Add(new KvPair { Key = Bytes(7), Value = Bytes(70) });
        put.Pairs.Add(new KvPair { Key = Bytes(5), Value = Bytes(50) });
        Assert.Null((await _kv.Grain.RawBatchPutAsync(put)).Error);

        var get = new RawBatchGetRequest { Cf = "lock" };
        get.Keys.Add(Bytes(5));
        get.Keys.Add(Bytes(6));
        get.Keys.Add(Bytes(7));
        var response = await _kv.Grain.RawBatchGetAsync(get);

        Assert.Null(response.Error);
        Assert.Equal([(5, 50), (7, 70)], response.Pairs.Select(p => ((int)p.Key[0], (int)p.Value[0])));
    }

    [Fact]
    public async Task AnEmptyValueIsPresent()
    {
        await _kv.Grain.RawPutAsync(new RawPutRequest { Key = Bytes(1), Value = ByteString.Empty });

        var response = await _kv.Grain.RawGetAsync(new RawGetRequest { Key = Bytes(1) });

        Assert.False(response.NotFound);
        Assert.True(response.Value.IsEmpty);
    }

    [Fact]
    public async Task StatusReportsTheStore()
    {
        await PutKeysAsync(1, 3);

        var status = await _kv.Grain.GetStatusAsync(new StoreStatusRequest());

        Assert.Null(status.Error);
        Assert.Equal(1UL, status.StoreId);
        Assert.Equal("Sync", status.SyncPolicy);
        Assert.True(status.ApproximateSize > 0);
    }

    private static ByteString Bytes(params byte[] bytes) => ByteString.CopyFrom(bytes);

    private async Task PutKeysAsync(byte first, byte last)
    {
        for (byte k = first; k <= last; k++)
        {
            await _kv.PutDirectAsync(ColumnFamily.Default, [k], [233, k]);
        }
    }
}
