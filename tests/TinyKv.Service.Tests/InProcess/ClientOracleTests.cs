using TinyKv.Client;
using TinyKv.Storage;
using TinyKv.TestKit;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>Random raw operations through <see cref="TinyKvClient"/> on a TestCluster, checked against a sorted-map oracle.</summary>
public sealed class ClientOracleTests
{
    public static IEnumerable<object[]> Seeds => TestSeed.Seeds(3).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task MatchesASortedMap(int seed)
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { ScanPageSize = 3 });
        var random = new Random(seed);
        var oracle = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        for (int step = 0; step < 300; step++)
        {
            byte[] key = [(byte)random.Next(20)];
            switch (random.Next(5))
            {
                case 0 or 1:
                    byte[] value = [(byte)random.Next(256), (byte)step];
                    await client.PutAsync(key, value);
                    oracle[key] = value;
                    break;
                case 2:
                    await client.DeleteAsync(key);
                    oracle.Remove(key);
                    break;
                case 3:
                    Assert.Equal(oracle.GetValueOrDefault(key), await client.GetAsync(key));
                    break;
                default:
                    byte[] from = [(byte)random.Next(20)];
                    byte[] to = [(byte)random.Next(20)];
                    int limit = random.Next(0, 8);
                    var expected = oracle.Where(p => ByteArrayComparer.Instance.Compare(p.Key, from) >= 0 && ByteArrayComparer.Instance.Compare(p.Key, to) < 0)
                        .Take(limit == 0 ? int.MaxValue : limit).Select(p => (p.Key[0], p.Value[0], p.Value[1])).ToList();
                    var actual = new List<(byte, byte, byte)>();
                    await foreach (var (k, v) in client.ScanAsync(from, to, limit))
                    {
                        actual.Add((k[0], v[0], v[1]));
                    }

                    Assert.True(expected.SequenceEqual(actual), $"scan [{from[0]}, {to[0]}) limit {limit} at step {step}, {TestSeed.Replay(seed)}");
                    break;
            }
        }
    }

    [Fact]
    public async Task ClientErrorsCarryTheStableCode()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);

        var unknownCf = await Assert.ThrowsAsync<TinyKvException>(() => client.PutAsync([1], [1], cf: "nope"));
        var tooLarge = await Assert.ThrowsAsync<TinyKvException>(() => client.PutAsync(new byte[RawKvLimits.MaxKeySize + 1], [1]));

        Assert.Equal(ErrorCode.UnknownColumnFamily, unknownCf.Code);
        Assert.Equal(ErrorCode.KeyTooLarge, tooLarge.Code);
    }

    [Fact]
    public async Task BatchesRoundTrip()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);

        await client.BatchPutAsync([KeyValuePair.Create<byte[], byte[]>([1], [10]), KeyValuePair.Create<byte[], byte[]>([2], [20])]);
        var pairs = await client.BatchGetAsync([[2], [3], [1]]);

        Assert.Equal([(2, 20), (1, 10)], pairs.Select(p => ((int)p.Key[0], (int)p.Value[0])));
    }
}
