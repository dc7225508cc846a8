namespace TinyKv.Actors;

public static class GrainStorageNames
{
    /// <summary>The provider used when [PersistentState] names none.</summary>
    public const string Default = "Default";
}
