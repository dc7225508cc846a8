using TinyKv.Actors.Invocation;

namespace TinyKv.Actors;

/// <summary>Key accessors for grains and grain references (Orleans' GrainExtensions).</summary>
public static class GrainExtensions
{
    public static GrainId GetGrainId(this IAddressable grain) => grain switch
    {
        Grain g => g.GrainId,
        GrainReference r => r.GrainId,
        _ => throw new ArgumentException($"{grain.GetType().Name} is neither a grain nor a grain reference.", nameof(grain)),
    };

    public static long GetPrimaryKeyLong(this IAddressable grain) => Expect(grain, GrainKeyKind.Integer, GrainKeyKind.IntegerCompound).IntegerKey;

    public static long GetPrimaryKeyLong(this IAddressable grain, out string? keyExtension)
    {
        var id = Expect(grain, GrainKeyKind.Integer, GrainKeyKind.IntegerCompound);
        keyExtension = id.StringKey;
        return id.IntegerKey;
    }

    public static string GetPrimaryKeyString(this IAddressable grain) => Expect(grain, GrainKeyKind.String, GrainKeyKind.String).StringKey!;

    public static Guid GetPrimaryKey(this IAddressable grain) => Expect(grain, GrainKeyKind.Guid, GrainKeyKind.Guid).GuidKey;

    /// <summary>The reference to this grain, typed as one of its grain interfaces.</summary>
    public static TGrainInterface AsReference<TGrainInterface>(this Grain grain)
        where TGrainInterface : IGrain =>
        GrainReference.Create<TGrainInterface>(grain.Activation.Runtime, grain.GrainId);

    private static GrainId Expect(IAddressable grain, GrainKeyKind a, GrainKeyKind b)
    {
        var id = grain.GetGrainId();
        return id.KeyKind == a || id.KeyKind == b
            ? id
            : throw new InvalidOperationException($"{id} has a {id.KeyKind} key, not {a}.");
    }
}
