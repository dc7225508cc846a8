namespace TinyKv.Transactions.Tests.Codec;

/// <summary><see cref="LockRef"/> and <see cref="WriteRef"/>: the borrowed forms read and write exactly what the owned records do.</summary>
public sealed class BorrowedRecordTests
{
    [Theory]
    [MemberData(nameof(RecordTests.Locks), MemberType = typeof(RecordTests))]
    public void A_borrowed_lock_reads_the_stored_fields_in_place(Lock @lock)
    {
        byte[] bytes = @lock.ToBytes();
        Assert.True(LockRef.TryParse(bytes, out var borrowed));
        Assert.Equal(@lock.Kind, borrowed.Kind);
        Assert.Equal(@lock.StartTs, borrowed.StartTs);
        Assert.Equal(@lock.Ttl, borrowed.Ttl);
        Assert.Equal(@lock.MinCommitTs, borrowed.MinCommitTs);
        Assert.Equal(@lock.Primary, borrowed.Primary.ToArray());
        Assert.Equal(@lock.ShortValue is not null, borrowed.HasShortValue);
        Assert.Equal(@lock.ShortValue ?? [], borrowed.ShortValue.ToArray());
        Assert.Equal(@lock, borrowed.ToLock());
    }

    [Theory]
    [MemberData(nameof(RecordTests.Locks), MemberType = typeof(RecordTests))]
    public void A_lock_built_from_fields_encodes_as_the_owned_lock(Lock @lock)
    {
        var borrowed = new LockRef(@lock.Kind, @lock.Primary, @lock.StartTs, @lock.Ttl, @lock.MinCommitTs, @lock.ShortValue, @lock.ShortValue is not null);
        byte[] bytes = new byte[borrowed.EncodedSize];
        borrowed.WriteTo(bytes);
        Assert.Equal(@lock.ToBytes(), bytes);
    }

    [Fact]
    public void A_lock_without_a_short_value_ignores_the_span_it_was_given()
    {
        var borrowed = new LockRef(LockKind.Put, [9], 100, 1000, 7, [5, 6], hasShortValue: false);
        byte[] bytes = new byte[borrowed.EncodedSize];
        borrowed.WriteTo(bytes);
        Assert.Equal(new Lock(LockKind.Put, [9], 100, 1000, 7).ToBytes(), bytes);
        Assert.True(borrowed.ShortValue.IsEmpty);
    }

    public static TheoryData<Write> Writes() => new()
    {
        new Write(WriteKind.Put, 100),
        new Write(WriteKind.Delete, 1, HasOverlappedRollback: true),
        new Write(WriteKind.Rollback, 42),
        new Write(WriteKind.Lock, TimeStamp.Max),
        new Write(WriteKind.Put, 100, ShortValue: []),
        new Write(WriteKind.Put, 7, HasOverlappedRollback: true, ShortValue: [1, 2, 3]),
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public void A_borrowed_write_reads_the_stored_fields_in_place_and_encodes_them_back(Write write)
    {
        byte[] bytes = write.ToBytes();
        Assert.True(WriteRef.TryParse(bytes, out var borrowed));
        Assert.Equal(write.Kind, borrowed.Kind);
        Assert.Equal(write.StartTs, borrowed.StartTs);
        Assert.Equal(write.HasOverlappedRollback, borrowed.HasOverlappedRollback);
        Assert.Equal(write.ShortValue is not null, borrowed.HasShortValue);
        Assert.Equal(write.ShortValue ?? [], borrowed.ShortValue.ToArray());
        Assert.Equal(write, borrowed.ToWrite());

        byte[] again = new byte[borrowed.EncodedSize];
        borrowed.WriteTo(again);
        Assert.Equal(bytes, again);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 1, 0, 0, 0 })]
    [InlineData(new byte[] { 3, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 3, 232, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 9 })]
    public void Corrupt_locks_are_rejected_in_place(byte[] bytes)
    {
        Assert.False(LockRef.TryParse(bytes, out _));
        Assert.Throws<InvalidDataException>(() => LockRef.Parse(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 7 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 100, 2 })]
    public void Corrupt_writes_are_rejected_in_place(byte[] bytes)
    {
        Assert.False(WriteRef.TryParse(bytes, out _));
        Assert.Throws<InvalidDataException>(() => WriteRef.Parse(bytes));
    }
}
