namespace TinyKv.Storage;

/// <summary>
/// The key spaces of a store's KV engine. <see cref="Default"/>, <see cref="Lock"/> and
/// <see cref="Write"/> are Percolator's column families; <see cref="Meta"/> holds local state
/// (raft apply state, region state) that is never replicated as user data.
/// </summary>
/// <remarks>The numeric values are part of the on-disk format: never renumber.</remarks>
public enum ColumnFamily : byte
{
    Default = 0,
    Lock = 1,
    Write = 2,
    Meta = 3,
}

/// <summary>Names of the column families as clients spell them.</summary>
public static class ColumnFamilies
{
    public const string DefaultName = "default";
    public const string LockName = "lock";
    public const string WriteName = "write";
    public const string MetaName = "meta";

    /// <summary>Every column family, in numeric order.</summary>
    public static IReadOnlyList<ColumnFamily> All { get; } =
        [ColumnFamily.Default, ColumnFamily.Lock, ColumnFamily.Write, ColumnFamily.Meta];

    /// <summary>The data column families a region snapshot carries (everything but <see cref="ColumnFamily.Meta"/>).</summary>
    public static IReadOnlyList<ColumnFamily> Data { get; } =
        [ColumnFamily.Default, ColumnFamily.Lock, ColumnFamily.Write];

    public static string Name(this ColumnFamily cf) => cf switch
    {
        ColumnFamily.Default => DefaultName,
        ColumnFamily.Lock => LockName,
        ColumnFamily.Write => WriteName,
        ColumnFamily.Meta => MetaName,
        _ => throw new ArgumentOutOfRangeException(nameof(cf), cf, "unknown column family"),
    };

    /// <summary>Parses a client-supplied name; an empty name means <see cref="ColumnFamily.Default"/>.</summary>
    public static bool TryParse(string? name, out ColumnFamily cf)
    {
        switch (name)
        {
            case null or "" or DefaultName: cf = ColumnFamily.Default; return true;
            case LockName: cf = ColumnFamily.Lock; return true;
            case WriteName: cf = ColumnFamily.Write; return true;
            case MetaName: cf = ColumnFamily.Meta; return true;
            default: cf = default; return false;
        }
    }
}
