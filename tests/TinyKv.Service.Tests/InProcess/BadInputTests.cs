namespace TinyKv.Service.Tests.InProcess;

/// <summary>Bad requests get their stable error code and change nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private StoreCluster _kv = null!;

    public static TheoryData<string, int, int, ErrorCode> BadPuts => new()
    {
        { "nope", 1, 1, ErrorCode.UnknownColumnFamily },
        { "meta", 1, 1, ErrorCode.UnknownColumnFamily },
        { "Default", 1, 1, ErrorCode.UnknownColumnFamily },
        { "default", RawKvLimits.MaxKeySize + 1, 1, ErrorCode.KeyTooLarge },
        { "default", 1, RawKvLimits.MaxValueSize + 1, ErrorCode.ValueTooLarge },
        { "nope", RawKvLimits.MaxKeySize + 1, 1, ErrorCode.UnknownColumnFamily },
    };

    public async Task InitializeAsync() => _kv = await StoreCluster.StartAsync(inMemory: true);

    public async Task DisposeAsync() => await _kv.DisposeAsync();

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task ABadPutIsRefusedWithItsCodeAndWritesNothing(string cf, int keySize, int valueSize, ErrorCode expected)
    {
        var key = ByteString.CopyFrom(new byte[keySize]);
        var response = await _kv.Grain.RawPutAsync(new RawPutRequest { Key = key, Value = ByteString.CopyFrom(new byte[valueSize]), Cf = cf });

        Assert.Equal(expected, response.Error?.Code);
        Assert.False(string.IsNullOrEmpty(response.Error!.Message));
        var scan = await _kv.Grain.RawScanAsync(new RawScanRequest());
        Assert.Empty(scan.Kvs);
    }

    [Fact]
    public async Task ABatchWithOneBadPairWritesNone()
    {
        var put = new RawBatchPutRequest();
        put.Pairs.Add(new KvPair { Key = ByteString.CopyFrom(1), Value = ByteString.CopyFrom(1) });
        put.Pairs.Add(new KvPair { Key = ByteString.CopyFrom(new byte[RawKvLimits.MaxKeySize + 1]), Value = ByteString.CopyFrom(1) });

        var response = await _kv.Grain.RawBatchPutAsync(put);

        Assert.Equal(ErrorCode.KeyTooLarge, response.Error?.Code);
        Assert.Empty((await _kv.Grain.RawScanAsync(new RawScanRequest())).Kvs);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("meta")]
    public async Task ReadsInAnUnknownColumnFamilyAreRefused(string cf)
    {
        Assert.Equal(ErrorCode.UnknownColumnFamily, (await _kv.Grain.RawGetAsync(new RawGetRequest { Key = ByteString.CopyFrom(1), Cf = cf })).Error?.Code);
        Assert.Equal(ErrorCode.UnknownColumnFamily, (await _kv.Grain.RawScanAsync(new RawScanRequest { Cf = cf })).Error?.Code);
        Assert.Equal(ErrorCode.UnknownColumnFamily, (await _kv.Grain.RawDeleteAsync(new RawDeleteRequest { Key = ByteString.CopyFrom(1), Cf = cf })).Error?.Code);
    }

    [Fact]
    public async Task AStoreThisSiloDoesNotHostIsNotReady()
    {
        var other = _kv.Cluster.GrainFactory.GetGrain<IRawKvGrain>(2);

        var call = other.RawGetAsync(new RawGetRequest { Key = ByteString.CopyFrom(1) });

        // No silo announces store 2, so placement fails the call.
        await Assert.ThrowsAnyAsync<Exception>(() => call);
    }

    [Fact]
    public async Task AClosedEngineAnswersStoreNotReady()
    {
        _kv.Store.Dispose();

        var response = await _kv.Grain.RawPutAsync(new RawPutRequest { Key = ByteString.CopyFrom(1), Value = ByteString.CopyFrom(1) });

        Assert.Equal(ErrorCode.StoreNotReady, response.Error?.Code);
    }
}
