namespace TinyKv.Actors.Runtime;

internal enum ActivationState
{
    /// <summary>Registering in the directory, constructing, loading state, OnActivateAsync. Messages wait.</summary>
    Activating,

    /// <summary>Processing messages.</summary>
    Valid,

    /// <summary>Running requests drain, then OnDeactivateAsync; new messages wait and are re-routed afterwards.</summary>
    Deactivating,

    /// <summary>Gone: the catalog no longer lists it; messages are re-routed.</summary>
    Invalid,
}
