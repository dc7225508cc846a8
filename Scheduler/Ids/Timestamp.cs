namespace TinyKv.Scheduler.Ids;

/// <summary>
/// A TSO timestamp (Percolator §2.2's timestamp oracle, PD's hybrid format): physical
/// milliseconds since the Unix epoch in the high bits, an 18-bit logical counter in the low bits.
/// </summary>
public readonly record struct Timestamp(long Physical, long Logical) : IComparable<Timestamp>
{
    /// <summary>Bits reserved for the logical counter.</summary>
    public const int LogicalBits = 18;

    /// <summary>Logical values per millisecond.</summary>
    public const long MaxLogical = 1L << LogicalBits;

    /// <summary>The composed 64-bit value: physical &lt;&lt; 18 | logical.</summary>
    public ulong Value => ((ulong)Physical << LogicalBits) | (ulong)Logical;

    public static Timestamp FromValue(ulong value) =>
        new((long)(value >> LogicalBits), (long)(value & (MaxLogical - 1)));

    public int CompareTo(Timestamp other) => Value.CompareTo(other.Value);

    public override string ToString() => $"{Value} ({Physical}ms+{Logical})";
}
