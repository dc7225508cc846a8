namespace TinyKv.Transactions;

/// <summary>A lock as reported to a client that ran into it (kvrpcpb's <c>LockInfo</c>).</summary>
/// <param name="Key">The user key the lock is on.</param>
/// <param name="Primary">The owning transaction's primary key: resolve the lock by checking it.</param>
public sealed record LockInfo(byte[] Key, byte[] Primary, TimeStamp LockTs, ulong Ttl, LockKind Kind, TimeStamp MinCommitTs)
{
    public bool Equals(LockInfo? other) =>
        other is not null && LockTs == other.LockTs && Ttl == other.Ttl && Kind == other.Kind && MinCommitTs == other.MinCommitTs
        && Key.AsSpan().SequenceEqual(other.Key) && Primary.AsSpan().SequenceEqual(other.Primary);

    public override int GetHashCode() => HashCode.Combine(LockTs, Ttl, Kind, Key.Length);

    public override string ToString() =>
        $"LockInfo {{ key {Convert.ToHexString(Key)}, primary {Convert.ToHexString(Primary)}, lock ts {LockTs}, ttl {Ttl}, {Kind} }}";
}
