using TinyKv.Client;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>The client's scan paging and batch variants on a TestCluster.</summary>
public sealed class ClientScanAndBatchTests : IAsyncLifetime
{
    private const int Keys = 100;
    private const int PageSize = 7;
    private StoreCluster _kv = null!;
    private TinyKvClient _client = null!;

    public async Task InitializeAsync()
    {
        _kv = await StoreCluster.StartAsync(inMemory: true);
        _client = TinyKvClient.Create(_kv.Cluster.Client, new TinyKvClientOptions { ScanPageSize = PageSize });
        await _client.BatchPutAsync(Enumerable.Range(0, Keys).Select(i => KeyValuePair.Create(Key(i), BitConverter.GetBytes(i))));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _kv.DisposeAsync();
    }

    /// <summary>Limits on, before and after page boundaries (pages of 7), and bounds inside pages.</summary>
    public static TheoryData<int, int, int, int> Scans => new()
    {
        { 0, Keys, 0, Keys },
        { 0, Keys, PageSize, PageSize },
        { 0, Keys, PageSize + 1, PageSize + 1 },
        { 0, Keys, (3 * PageSize) - 1, (3 * PageSize) - 1 },
        { 0, Keys, Keys, Keys },
        { 0, Keys, Keys + 1, Keys },
        { 5, 5 + (2 * PageSize), 0, 2 * PageSize },
        { 13, 62, 40, 40 },
        { 13, 62, 0, 49 },
        { 99, Keys, 0, 1 },
        { 50, 50, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Scans))]
    public async Task AScanPagesThroughEveryKeyInOrder(int from, int to, int limit, int expected)
    {
        var keys = new List<int>();
        await foreach (var (key, value) in _client.ScanAsync(Key(from), to == Keys ? null : Key(to), limit))
        {
            Assert.Equal(BitConverter.GetBytes(keys.Count + from), value);
            keys.Add(int.Parse(System.Text.Encoding.ASCII.GetString(key.AsSpan(2)), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(Enumerable.Range(from, expected), keys);
    }

    [Fact]
    public async Task AScanSeesKeysWrittenBehindItsCursorOnlyIfAhead()
    {
        var seen = new List<byte[]>();
        await foreach (var (key, _) in _client.ScanAsync(limit: 0))
        {
            if (seen.Count == PageSize)
            {
                await _client.DeleteAsync(Key(0));
                await _client.DeleteAsync(Key(Keys - 1));
            }

            seen.Add(key);
        }

        // Each page is a consistent read, the scan is not: a delete behind the cursor does not
        // change what was returned, one ahead of it removes the key from a later page.
        Assert.Equal(Keys - 1, seen.Count);
        Assert.Equal(Key(0), seen[0]);
        Assert.Equal(Key(Keys - 2), seen[^1]);
    }

    [Fact]
    public async Task EmptyBatchesDoNothing()
    {
        await _client.BatchPutAsync([]);

        Assert.Empty(await _client.BatchGetAsync([]));
        Assert.Equal(Keys, (await _client.BatchGetAsync(Enumerable.Range(0, Keys).Select(Key))).Count);
    }

    [Fact]
    public async Task ABatchPutWithTheSameKeyTwiceKeepsTheLastValue()
    {
        await _client.BatchPutAsync([KeyValuePair.Create(Key(1), new byte[] { 1 }), KeyValuePair.Create(Key(1), new byte[] { 2 })]);

        Assert.Equal(new byte[] { 2 }, await _client.GetAsync(Key(1)));
    }

    [Fact]
    public async Task ABatchGetAnswersInRequestOrderWithRepeatsAndWithoutMissingKeys()
    {
        var pairs = await _client.BatchGetAsync([Key(3), Key(Keys + 5), Key(1), Key(3)]);

        Assert.Equal([3, 1, 3], pairs.Select(p => BitConverter.ToInt32(p.Value)));
    }

    [Fact]
    public async Task BatchesInAnotherColumnFamilyAreIsolated()
    {
        await _client.BatchPutAsync([KeyValuePair.Create(Key(1), new byte[] { 9 })], cf: "write");

        Assert.Equal([9], (await _client.BatchGetAsync([Key(1)], cf: "write")).Single().Value);
        Assert.Equal(BitConverter.GetBytes(1), (await _client.BatchGetAsync([Key(1)])).Single().Value);
        Assert.Empty(await _client.BatchGetAsync([Key(2)], cf: "lock"));
    }

    [Fact]
    public async Task ABatchOverTheCountLimitIsRefusedAndWritesNothing()
    {
        var pairs = Enumerable.Range(0, RawKvLimits.MaxBatchCount + 1).Select(i => KeyValuePair.Create(BitConverter.GetBytes(i), new byte[] { 1 }));

        var put = await Assert.ThrowsAsync<TinyKvException>(() => _client.BatchPutAsync(pairs));
        var get = await Assert.ThrowsAsync<TinyKvException>(() => _client.BatchGetAsync(pairs.Select(p => p.Key)));

        Assert.Equal((ErrorCode.InvalidArgument, ErrorCode.InvalidArgument), (put.Code, get.Code));
        Assert.Null(await _client.GetAsync(BitConverter.GetBytes(0)));
    }

    [Fact]
    public async Task ABatchPutInAnUnknownColumnFamilyGetsItsCode()
    {
        var error = await Assert.ThrowsAsync<TinyKvException>(() => _client.BatchPutAsync([KeyValuePair.Create(Key(1), new byte[] { 1 })], cf: "nope"));

        Assert.Equal(ErrorCode.UnknownColumnFamily, error.Code);
    }

    private static byte[] Key(int i) => System.Text.Encoding.ASCII.GetBytes($"k-{i:D3}");
}
