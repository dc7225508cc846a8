using System.Globalization;

namespace TinyKv.Actors;

/// <summary>
/// The identity of a grain: its grain type (the implementation class name) and its key. Two
/// references with equal ids address the same virtual actor; the runtime keeps at most one
/// activation per id in the cluster (except stateless workers).
/// </summary>
public readonly struct GrainId : IEquatable<GrainId>
{
    private GrainId(string type, GrainKeyKind kind, long integer, Guid guid, string? text)
        : this(type, type?.GetHashCode() ?? 0, kind, integer, guid, text)
    {
    }

    /// <param name="typeHash"><paramref name="type"/>'s hash code, which the caller already knows.</param>
    private GrainId(string type, int typeHash, GrainKeyKind kind, long integer, Guid guid, string? text)
    {
        Type = type;
        KeyKind = kind;
        IntegerKey = integer;
        GuidKey = guid;
        StringKey = text;
        _hash = HashCode.Combine(typeHash, kind, integer, guid, text);
    }

    /// <summary>Computed once: every catalog and directory lookup hashes the id.</summary>
    private readonly int _hash;

    /// <summary>The grain type: the full name of the grain class.</summary>
    public string Type { get; }

    public GrainKeyKind KeyKind { get; }

    public long IntegerKey { get; }

    public Guid GuidKey { get; }

    /// <summary>The string key, or the key extension of a compound key.</summary>
    public string? StringKey { get; }

    public bool IsDefault => Type is null;

    public static GrainId Create(string type, long key) => new(type, GrainKeyKind.Integer, key, Guid.Empty, null);

    public static GrainId Create(string type, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(type, GrainKeyKind.String, 0, Guid.Empty, key);
    }

    public static GrainId Create(string type, Guid key) => new(type, GrainKeyKind.Guid, 0, key, null);

    public static GrainId Create(string type, long key, string keyExtension)
    {
        ArgumentNullException.ThrowIfNull(keyExtension);
        return new(type, GrainKeyKind.IntegerCompound, key, Guid.Empty, keyExtension);
    }

    /// <summary>A grain id read from the wire, with the type's hash code already known (it must be <c>type.GetHashCode()</c>).</summary>
    internal static GrainId FromParts(string type, int typeHash, GrainKeyKind kind, long integer, Guid guid, string? text) =>
        new(type, typeHash, kind, integer, guid, text);

    public bool Equals(GrainId other) =>
        _hash == other._hash && KeyKind == other.KeyKind && IntegerKey == other.IntegerKey && GuidKey == other.GuidKey &&
        string.Equals(StringKey, other.StringKey, StringComparison.Ordinal) &&
        string.Equals(Type, other.Type, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    public override int GetHashCode() => _hash;

    /// <summary>A hash that is the same in every process (placement and directory partitioning use it).</summary>
    public uint GetStableHashCode() => StableHash.Of(ToString());

    public static bool operator ==(GrainId left, GrainId right) => left.Equals(right);

    public static bool operator !=(GrainId left, GrainId right) => !left.Equals(right);

    public override string ToString() => KeyKind switch
    {
        GrainKeyKind.Integer => $"{Type}/{IntegerKey.ToString(CultureInfo.InvariantCulture)}",
        GrainKeyKind.String => $"{Type}/{StringKey}",
        GrainKeyKind.Guid => $"{Type}/{GuidKey:N}",
        GrainKeyKind.IntegerCompound => $"{Type}/{IntegerKey.ToString(CultureInfo.InvariantCulture)}+{StringKey}",
        _ => "(default)",
    };
}
