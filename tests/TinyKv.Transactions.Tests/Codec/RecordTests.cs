namespace TinyKv.Transactions.Tests.Codec;

public sealed class RecordTests
{
    public static TheoryData<Lock> Locks() => new()
    {
        new Lock(LockKind.Put, [1], 100, 1000),
        new Lock(LockKind.Delete, [], 1, 0),
        new Lock(LockKind.Lock, [0, 255, 7], TimeStamp.Max, ulong.MaxValue, 55),
        new Lock(LockKind.Rollback, [16], 100, 100000),
        new Lock(LockKind.Put, [1, 2], 100, 1000, 0, [7, 7, 7]),
        new Lock(LockKind.Put, [], 5, 0, 9, []),
        new Lock(LockKind.Put, [3], 5, 0, 0, new byte[Lock.ShortValueMaxLength]),
    };

    [Theory]
    [MemberData(nameof(Locks))]
    public void Lock_round_trips(Lock @lock)
    {
        byte[] bytes = @lock.ToBytes();
        Assert.Equal(@lock.ShortValue is null ? Lock.FormatVersion : Lock.ShortValueFormatVersion, bytes[0]);
        Assert.Equal(@lock.EncodedSize, bytes.Length);
        Assert.Equal(@lock, Lock.Parse(bytes));
    }

    [Fact]
    public void Lock_layout_is_versioned_and_fixed()
    {
        byte[] bytes = new Lock(LockKind.Put, [9], 100, 1000, 7).ToBytes();
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 9 }, bytes);
    }

    [Fact]
    public void Lock_with_a_short_value_is_format_v2()
    {
        byte[] bytes = new Lock(LockKind.Put, [9], 100, 1000, 7, [5, 6]).ToBytes();
        Assert.Equal(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 9, 5, 6 }, bytes);
    }

    [Fact]
    public void Locks_with_and_without_a_short_value_differ()
    {
        Assert.NotEqual(new Lock(LockKind.Put, [9], 100, 1000), new Lock(LockKind.Put, [9], 100, 1000, 0, []));
        Assert.NotEqual(new Lock(LockKind.Put, [9], 100, 1000, 0, [1]), new Lock(LockKind.Put, [9], 100, 1000, 0, [2]));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7 })]
    [InlineData(new byte[] { 1, 9, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0 })]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 9 })]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 255, 255, 255, 255, 9 })]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0 })]
    [InlineData(new byte[] { 3, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0 })]
    public void Corrupt_locks_are_rejected(byte[] bytes)
    {
        Assert.False(Lock.TryParse(bytes, out _));
        Assert.Throws<InvalidDataException>(() => Lock.Parse(bytes));
    }

    [Theory]
    [InlineData(WriteKind.Put, 100UL, false)]
    [InlineData(WriteKind.Delete, 1UL, false)]
    [InlineData(WriteKind.Rollback, 42UL, false)]
    [InlineData(WriteKind.Lock, ulong.MaxValue, true)]
    public void Write_round_trips(WriteKind kind, ulong startTs, bool overlapped)
    {
        var write = new Write(kind, startTs, overlapped);
        byte[] bytes = write.ToBytes();
        Assert.Equal(Write.Size, bytes.Length);
        Assert.Equal(write, Write.Parse(bytes));
    }

    [Theory]
    [InlineData(new byte[0], false)]
    [InlineData(new byte[] { 1, 2, 3 }, true)]
    public void Write_with_a_short_value_is_format_v2_and_round_trips(byte[] value, bool overlapped)
    {
        var write = new Write(WriteKind.Put, 100, overlapped, value);
        byte[] bytes = write.ToBytes();
        Assert.Equal([2, 1, 0, 0, 0, 0, 0, 0, 0, 100, (byte)(overlapped ? 1 : 0), .. value], bytes);
        Assert.Equal(write, Write.Parse(bytes));
        Assert.NotEqual(write with { ShortValue = null }, Write.Parse(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 7 })]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100 })]
    [InlineData(new byte[] { 3, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100, 2 })]
    public void Corrupt_writes_are_rejected(byte[] bytes)
    {
        Assert.False(Write.TryParse(bytes, out _));
        Assert.Throws<InvalidDataException>(() => Write.Parse(bytes));
    }

    [Theory]
    [InlineData(1000UL, 8UL, 1007UL, false)]
    [InlineData(1000UL, 8UL, 1008UL, true)]
    [InlineData(1000UL, ulong.MaxValue, ulong.MaxValue >> 18, false)]
    [InlineData(1000UL, 0UL, 1000UL, true)]
    public void Ttl_expiry_compares_physical_time_only(ulong startPhysical, ulong ttl, ulong currentPhysical, bool expired)
    {
        var @lock = new Lock(LockKind.Put, [1], TimeStamp.Compose(startPhysical, 77), ttl);
        Assert.Equal(expired, @lock.IsExpired(TimeStamp.Compose(currentPhysical, 0)));
    }
}
