namespace TinyKv.Actors;

/// <summary>Which of the key fields of a <see cref="GrainId"/> are meaningful. Values are on the wire.</summary>
public enum GrainKeyKind
{
    Integer = 1,
    String = 2,
    Guid = 3,
    IntegerCompound = 4,
}
