namespace TinyKv.Transactions;

/// <summary>
/// A Percolator lock (Percolator §2.2): the key is being written by the transaction that started
/// at <see cref="StartTs"/>, whose fate is decided by the lock on <see cref="Primary"/>. Stored in
/// CF lock under the encoded key.
/// </summary>
/// <param name="Kind">What the lock becomes on commit.</param>
/// <param name="Primary">The user key of the transaction's primary lock.</param>
/// <param name="StartTs">The owning transaction's start ts.</param>
/// <param name="Ttl">Milliseconds of physical time, counted from <see cref="StartTs"/>, during which the lock is alive.</param>
/// <param name="MinCommitTs">
/// The smallest commit ts the owner may use, or zero. A reader at ts below it may ignore the lock,
/// because the owner will commit above its snapshot (TiKV's large-transaction optimization).
/// </param>
/// <param name="ShortValue">
/// The value of a Put of at most <see cref="ShortValueMaxLength"/> bytes, carried by the lock
/// instead of CF default, and by the write record once committed (TiKV's short value), or null.
/// </param>
/// <remarks>
/// Format v1 (no short value): <c>[1][kind][BE64 start ts][BE64 ttl][BE64 min commit ts][primary…]</c>.
/// Format v2 (with one): <c>[2][kind][BE64 start ts][BE64 ttl][BE64 min commit ts][BE32 primary length][primary][short value…]</c>.
/// A lock is written in the first format that holds it; both are read.
/// </remarks>
public sealed record Lock(LockKind Kind, byte[] Primary, TimeStamp StartTs, ulong Ttl, TimeStamp MinCommitTs = default, byte[]? ShortValue = null)
{
    public const byte FormatVersion = 1;

    public const byte ShortValueFormatVersion = 2;

    /// <summary>The longest value a lock and a write record carry inline (TiKV's <c>SHORT_VALUE_MAX_LEN</c>).</summary>
    public const int ShortValueMaxLength = 255;

    /// <summary>
    /// True when the lock's TTL has run out at <paramref name="currentTs"/>: physical(start ts) + ttl
    /// ≤ physical(current ts). TTLs compare physical time only (TinyKV's rule).
    /// </summary>
    public bool IsExpired(TimeStamp currentTs) =>
        Ttl <= currentTs.Physical && StartTs.Physical <= currentTs.Physical - Ttl;

    /// <summary>
    /// True when a snapshot read of <paramref name="userKey"/> at <paramref name="readTs"/> must
    /// report this lock (TiKV's <c>check_ts_conflict</c>): the owner started at or before the read
    /// and may commit at or below it. Read locks never block; a lock whose min commit ts is above
    /// the read cannot commit into it; a read at <see cref="TimeStamp.Max"/> ("latest committed")
    /// is blocked only by the primary lock, which alone decides the transaction.
    /// </summary>
    public bool BlocksRead(ReadOnlySpan<byte> userKey, TimeStamp readTs)
    {
        if (StartTs > readTs || Kind is LockKind.Lock or LockKind.Rollback || MinCommitTs > readTs)
        {
            return false;
        }

        return readTs != TimeStamp.Max || userKey.SequenceEqual(Primary);
    }

    /// <summary>The lock as a reader reports it: the key it blocks plus the lock's fields.</summary>
    public LockInfo ToInfo(byte[] key) => new(key, Primary, StartTs, Ttl, Kind, MinCommitTs);

    /// <summary>The lock borrowed as a <see cref="LockRef"/>, which encodes it.</summary>
    public LockRef AsRef() => new(Kind, Primary, StartTs, Ttl, MinCommitTs, ShortValue, ShortValue is not null);

    /// <summary>Bytes of the stored form.</summary>
    public int EncodedSize => AsRef().EncodedSize;

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the stored form to the start of <paramref name="destination"/> (at least <see cref="EncodedSize"/> bytes).</summary>
    public void WriteTo(Span<byte> destination) => AsRef().WriteTo(destination);

    /// <summary>Parses a stored lock; false when the bytes are not a v1 or v2 lock.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Lock? parsed)
    {
        parsed = LockRef.TryParse(bytes, out var borrowed) ? borrowed.ToLock() : null;
        return parsed is not null;
    }

    /// <summary>Parses a lock read from CF lock; corrupt bytes there are a broken invariant.</summary>
    public static Lock Parse(ReadOnlySpan<byte> bytes) => LockRef.Parse(bytes).ToLock();

    public bool Equals(Lock? other) =>
        other is not null && Kind == other.Kind && StartTs == other.StartTs && Ttl == other.Ttl
        && MinCommitTs == other.MinCommitTs && Primary.AsSpan().SequenceEqual(other.Primary)
        && (ShortValue is null ? other.ShortValue is null : other.ShortValue is not null && ShortValue.AsSpan().SequenceEqual(other.ShortValue));

    public override int GetHashCode() => HashCode.Combine(Kind, StartTs, Ttl, MinCommitTs, Primary.Length);

    public override string ToString() =>
        $"Lock {{ {Kind}, primary {Convert.ToHexString(Primary)}, start {StartTs}, ttl {Ttl}, min commit {MinCommitTs}{(ShortValue is null ? "" : $", short value {Convert.ToHexString(ShortValue)}")} }}";
}
