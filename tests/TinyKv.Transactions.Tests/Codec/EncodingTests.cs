using TinyKv.TestKit;
using TinyKv.Storage;
using TinyKv.Transactions.Codec;

namespace TinyKv.Transactions.Tests.Codec;

public sealed class EncodingTests
{
    [Theory]
    [InlineData(new byte[0], new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 247 })]
    [InlineData(new byte[] { 42 }, new byte[] { 42, 0, 0, 0, 0, 0, 0, 0, 248 })]
    [InlineData(new byte[] { 42, 0, 5 }, new byte[] { 42, 0, 5, 0, 0, 0, 0, 0, 250 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 255, 0, 0, 0, 0, 0, 0, 0, 0, 247 })]
    public void Memcomparable_encoding_is_byte_exact(byte[] raw, byte[] expected)
    {
        Assert.Equal(expected, MemComparable.Encode(raw));
        Assert.True(MemComparable.TryDecode(expected, out byte[] decoded, out int consumed));
        Assert.Equal(raw, decoded);
        Assert.Equal(expected.Length, consumed);
    }

    [Theory]
    [InlineData(new byte[0], 0UL, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 247, 255, 255, 255, 255, 255, 255, 255, 255 })]
    [InlineData(new byte[] { 42 }, 0UL, new byte[] { 42, 0, 0, 0, 0, 0, 0, 0, 248, 255, 255, 255, 255, 255, 255, 255, 255 })]
    [InlineData(new byte[] { 42, 0, 5 }, 0UL, new byte[] { 42, 0, 5, 0, 0, 0, 0, 0, 250, 255, 255, 255, 255, 255, 255, 255, 255 })]
    [InlineData(new byte[] { 7 }, 1UL, new byte[] { 7, 0, 0, 0, 0, 0, 0, 0, 248, 255, 255, 255, 255, 255, 255, 255, 254 })]
    public void Versioned_key_appends_inverted_big_endian_ts(byte[] userKey, ulong ts, byte[] expected)
    {
        byte[] key = MvccKey.Encode(userKey, ts);
        Assert.Equal(expected, key);
        Assert.True(MvccKey.TrySplitTs(key, out var encoded, out var decodedTs));
        Assert.Equal(new TimeStamp(ts), decodedTs);
        Assert.Equal(userKey, MvccKey.DecodeUserKey(encoded));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 1, 0, 251 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 200 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 255 })]
    public void Malformed_encodings_are_rejected(byte[] bytes)
    {
        Assert.False(MemComparable.TryDecode(bytes, out _, out _));
        Assert.Throws<InvalidDataException>(() => MvccKey.DecodeUserKey(bytes));
    }

    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(5).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Encoded_keys_sort_by_user_key_then_newest_version_first(int seed)
    {
        var random = new Random(seed);
        var entries = Enumerable.Range(0, 300)
            .Select(_ => (Key: RandomKey(random), Ts: (ulong)random.NextInt64(0, 1000)))
            .ToList();
        var byEncoding = entries.OrderBy(e => MvccKey.Encode(e.Key, e.Ts), ByteArrayComparer.Instance).ToList();
        var byMeaning = entries
            .OrderBy(e => e.Key, ByteArrayComparer.Instance)
            .ThenByDescending(e => e.Ts)
            .ToList();
        for (int i = 0; i < entries.Count; i++)
        {
            Assert.True(
                byMeaning[i].Key.AsSpan().SequenceEqual(byEncoding[i].Key) && byMeaning[i].Ts == byEncoding[i].Ts,
                $"order differs at {i}; {TestSeed.Replay(seed)}");
        }

        foreach (var (key, ts) in entries)
        {
            byte[] encoded = MvccKey.Encode(key, ts);
            Assert.Equal(key, MvccKey.DecodeUserKey(MvccKey.TruncateTs(encoded)));
            Assert.Equal(new TimeStamp(ts), MvccKey.DecodeTs(encoded));
            Assert.Equal(MemComparable.EncodedLength(key.Length), MemComparable.EncodedPrefixLength(encoded));
        }
    }

    [Fact]
    public void Versions_end_is_above_every_version_and_below_the_next_key()
    {
        byte[] key = [1, 2, 3];
        byte[] end = MvccKey.VersionsEnd(MvccKey.Encode(key));
        Assert.True(ByteArrayComparer.Instance.Compare(MvccKey.Encode(key, 0), end) < 0);
        Assert.True(ByteArrayComparer.Instance.Compare(end, MvccKey.Encode([1, 2, 3, 0], ulong.MaxValue)) < 0);
    }

    [Fact]
    public void Timestamp_splits_physical_and_logical()
    {
        var ts = TimeStamp.Compose(1_700_000_000_000, 5);
        Assert.Equal(1_700_000_000_000UL, ts.Physical);
        Assert.Equal(5UL, ts.Logical);
        Assert.Equal((1_700_000_000_000UL << 18) | 5, ts.Value);
        Assert.True(ts < ts.Next());
        Assert.Equal(TimeStamp.Max, TimeStamp.Max.Next());
        Assert.Equal(TimeStamp.Zero, TimeStamp.Zero.Prev());
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeStamp.Compose(1, 1 << 18));
    }

    private static byte[] RandomKey(Random random)
    {
        byte[] key = new byte[random.Next(0, 20)];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(random.Next(4) switch { 0 => 0, 1 => 255, _ => random.Next(256) });
        }

        return key;
    }
}
