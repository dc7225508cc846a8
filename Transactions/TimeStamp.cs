namespace TinyKv.Transactions;

/// <summary>
/// A hybrid timestamp from the TSO: physical milliseconds in the high 46 bits, a logical counter
/// in the low <see cref="LogicalBits"/> bits (Percolator §2.3; TiKV's <c>TimeStamp</c>). Timestamps
/// are totally ordered by their 64-bit value.
/// </summary>
/// <remarks>
/// Format v1: the value is stored as 8 bytes big-endian wherever it is persisted. Zero means
/// "none" (no commit ts, no min commit ts); <see cref="Max"/> reads the latest version.
/// </remarks>
public readonly record struct TimeStamp(ulong Value) : IComparable<TimeStamp>
{
    /// <summary>Bits of the logical counter (TiKV and TinyKV: 18).</summary>
    public const int LogicalBits = 18;

    private const ulong LogicalMask = (1UL << LogicalBits) - 1;

    public static TimeStamp Zero => default;

    public static TimeStamp Max => new(ulong.MaxValue);

    /// <summary>Milliseconds of wall time at the TSO when it issued this timestamp.</summary>
    public ulong Physical => Value >> LogicalBits;

    public ulong Logical => Value & LogicalMask;

    public bool IsZero => Value == 0;

    public static TimeStamp Compose(ulong physical, ulong logical)
    {
        if (logical > LogicalMask)
        {
            throw new ArgumentOutOfRangeException(nameof(logical), logical, $"logical part exceeds {LogicalBits} bits");
        }

        if (physical > ulong.MaxValue >> LogicalBits)
        {
            throw new ArgumentOutOfRangeException(nameof(physical), physical, "physical part exceeds 46 bits");
        }

        return new TimeStamp((physical << LogicalBits) | logical);
    }

    /// <summary>The smallest timestamp after this one (saturates at <see cref="Max"/>).</summary>
    public TimeStamp Next() => Value == ulong.MaxValue ? this : new TimeStamp(Value + 1);

    /// <summary>The largest timestamp before this one (saturates at <see cref="Zero"/>).</summary>
    public TimeStamp Prev() => Value == 0 ? this : new TimeStamp(Value - 1);

    public int CompareTo(TimeStamp other) => Value.CompareTo(other.Value);

    public static bool operator <(TimeStamp left, TimeStamp right) => left.Value < right.Value;

    public static bool operator >(TimeStamp left, TimeStamp right) => left.Value > right.Value;

    public static bool operator <=(TimeStamp left, TimeStamp right) => left.Value <= right.Value;

    public static bool operator >=(TimeStamp left, TimeStamp right) => left.Value >= right.Value;

    public static implicit operator TimeStamp(ulong value) => new(value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
