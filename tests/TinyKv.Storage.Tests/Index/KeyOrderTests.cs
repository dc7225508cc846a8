using TinyKv.Storage.Index;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Index;

/// <summary>The index's word-at-a-time key order agrees in sign with the byte-wise order (its oracle).</summary>
public sealed class KeyOrderTests
{
    [Theory]
    [InlineData(new byte[0], new byte[0])]
    [InlineData(new byte[0], new byte[] { 0 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 0x80 }, new byte[] { 1, 2, 3, 4, 5, 6, 7, 0x7F })]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0 }, new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17 })]
    [InlineData(new byte[] { 0xFF }, new byte[] { 0x00, 0xFF })]
    public void Edge_cases_order_as_bytes_do(byte[] x, byte[] y)
    {
        Assert.Equal(Math.Sign(x.AsSpan().SequenceCompareTo(y)), Math.Sign(KeyOrder.Compare(x, y)));
        Assert.Equal(Math.Sign(y.AsSpan().SequenceCompareTo(x)), Math.Sign(KeyOrder.Compare(y, x)));
    }

    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(4)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_keys_with_shared_prefixes_order_as_bytes_do(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            var x = new byte[random.Next(41)];
            random.NextBytes(x);
            var y = new byte[random.Next(41)];
            random.NextBytes(y);
            int shared = random.Next(Math.Min(x.Length, y.Length) + 1);
            x.AsSpan(0, shared).CopyTo(y);
            if (random.Next(4) == 0 && shared < Math.Min(x.Length, y.Length))
            {
                y[shared] = (byte)(x[shared] ^ (1 << random.Next(8)));
            }

            string context = $"{TestSeed.Replay(seed)}: {Convert.ToHexString(x)} vs {Convert.ToHexString(y)}";
            int expected = Math.Sign(x.AsSpan().SequenceCompareTo(y));
            Assert.True(expected == Math.Sign(KeyOrder.Compare(x, y)), context);
        }
    }
}
