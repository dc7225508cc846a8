using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>TinyKV 4C's KvScan over its scan fixture, plus reverse scans and locks in the way.</summary>
public sealed class ScanTests : IDisposable
{
    private readonly Percolator _db = new();

    [Fact]
    public async Task Scan_from_past_the_last_key_is_empty()
    {
        await SeedScanFixtureAsync();
        Assert.Empty(_db.Store.Scan(K(200), null, 100, 10));
    }

    [Fact]
    public async Task Scan_with_limit_zero_is_empty()
    {
        await SeedScanFixtureAsync();
        Assert.Empty(_db.Store.Scan(K(0), null, 100, 0));
    }

    [Fact]
    public async Task Scan_all_sees_only_versions_committed_by_the_read_ts()
    {
        await SeedScanFixtureAsync();
        var pairs = _db.Store.Scan(K(0), null, 100, 100);
        Assert.Equal(11, pairs.Count);
        AssertPair(pairs[0], K(1), K(50));
        AssertPair(pairs[^1], K(199), K(54));
        Assert.All(pairs, p => Assert.Null(p.Error));
    }

    [Fact]
    public async Task Scan_stops_at_the_limit()
    {
        await SeedScanFixtureAsync();
        var pairs = _db.Store.Scan(K(2), null, 100, 6);
        Assert.Equal(6, pairs.Count);
        AssertPair(pairs[0], K(3), K(51));
        AssertPair(pairs[^1], K(4), K(52));
    }

    [Theory]
    [InlineData(100UL, new byte[] { 120, 150, 199 }, (byte)42)]
    [InlineData(105UL, new byte[] { 120, 199 }, (byte)0)]
    [InlineData(120UL, new byte[] { 120, 150, 199 }, (byte)64)]
    public async Task Scan_skips_deleted_keys(ulong readTs, byte[] keys, byte value150)
    {
        await SeedScanFixtureAsync();
        var pairs = _db.Store.Scan(K(100), null, readTs, 100);
        Assert.Equal(keys, pairs.Select(p => Assert.Single(p.Key)));
        if (value150 != 0)
        {
            Assert.Equal(K(value150), pairs.Single(p => p.Key[0] == 150).Value);
        }
    }

    [Fact]
    public async Task Scan_honours_the_upper_bound()
    {
        await SeedScanFixtureAsync();
        var pairs = _db.Store.Scan(K(3), K(4), 100, 100);
        Assert.Equal([K(3), K(3, 45), K(3, 46), K(3, 47), K(3, 48)], pairs.Select(p => p.Key));
    }

    [Fact]
    public async Task Reverse_scan_yields_the_same_keys_descending()
    {
        await SeedScanFixtureAsync();
        foreach (ulong readTs in new ulong[] { 100, 105, 120 })
        {
            var forward = _db.Store.Scan(null, null, readTs, 100);
            var reverse = _db.Store.Scan(null, null, readTs, 100, reverse: true);
            Assert.Equal(forward.Select(p => Hex(p.Key) + "=" + Hex(p.Value!)).Reverse(), reverse.Select(p => Hex(p.Key) + "=" + Hex(p.Value!)));
        }

        var bounded = _db.Store.Scan(K(3), K(4), 100, 2, reverse: true);
        Assert.Equal([K(3, 48), K(3, 47)], bounded.Select(p => p.Key));
    }

    [Fact]
    public async Task Scan_reports_a_lock_it_must_respect_as_a_per_key_error_and_goes_on()
    {
        await SeedScanFixtureAsync();
        await _db.SeedPrewrittenAsync(K(120), [7], K(120), 95);
        await _db.SeedPrewrittenAsync(K(121), [7], K(121), 95);
        await _db.SeedPrewrittenAsync(K(150), [7], K(150), 130);
        var pairs = _db.Store.Scan(K(100), null, 100, 100);
        Assert.Equal([K(120), K(121), K(150), K(199)], pairs.Select(p => p.Key));
        Assert.Equal(95UL, Assert.IsType<KeyIsLocked>(pairs[0].Error).Lock.LockTs.Value);
        Assert.Equal(95UL, Assert.IsType<KeyIsLocked>(pairs[1].Error).Lock.LockTs.Value);
        Assert.Equal(K(42), pairs[2].Value);
        var reverse = _db.Store.Scan(K(100), null, 100, 100, reverse: true);
        Assert.Equal([K(199), K(150), K(121), K(120)], reverse.Select(p => p.Key));
        Assert.IsType<KeyIsLocked>(reverse[3].Error);
    }

    [Fact]
    public async Task Scan_ignores_read_locks()
    {
        await SeedScanFixtureAsync();
        await _db.SeedLockAsync(K(120), new Lock(LockKind.Lock, K(120), 95, 0));
        var pairs = _db.Store.Scan(K(120), K(121), 100, 10);
        Assert.Equal(new KvPair(K(120), K(53), null).ToString(), Assert.Single(pairs).ToString());
    }

    public void Dispose() => _db.Dispose();

    private static void AssertPair(KvPair pair, byte[] key, byte[] value)
    {
        Assert.Equal(key, pair.Key);
        Assert.Equal(value, pair.Value);
    }

    /// <summary>
    /// TinyKV's scan fixture: keys 1 {1,23} 3 {3,45..48} 4 120 199 committed at 54 by txn 50;
    /// {4,45..48} committed at 116 by 110; {5,45..48} at 101 by 97; key 150: put 42 (80→99),
    /// delete (97→101), put 64 (110→116).
    /// </summary>
    private async Task SeedScanFixtureAsync()
    {
        (byte[] Key, byte Value)[] early =
        [
            (K(1), 50), (K(1, 23), 55), (K(3), 51), (K(3, 45), 56), (K(3, 46), 57), (K(3, 47), 58), (K(3, 48), 59),
            (K(4), 52), (K(120), 53), (K(199), 54),
        ];
        foreach (var (key, value) in early)
        {
            await _db.SeedCommittedAsync(key, [value], 50, 54);
        }

        for (byte b = 45; b <= 48; b++)
        {
            await _db.SeedCommittedAsync(K(4, b), [(byte)(b + 13)], 110, 116);
            await _db.SeedCommittedAsync(K(5, b), [(byte)(b + 13)], 97, 101);
        }

        await _db.SeedCommittedAsync(K(150), [42], 80, 99);
        await _db.SeedWriteAsync(K(150), 101, new Write(WriteKind.Delete, 97));
        await _db.SeedCommittedAsync(K(150), [64], 110, 116);
    }
}
