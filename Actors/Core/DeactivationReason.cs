namespace TinyKv.Actors;

/// <summary>Why an activation is being deactivated (Orleans' DeactivationReasonCode).</summary>
public enum DeactivationReasonCode
{
    None = 0,
    ShuttingDown = 1,
    ActivationIdle = 2,
    ApplicationRequested = 3,
    ActivationFailed = 4,
    DuplicateActivation = 5,
}

/// <summary>The reason passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode ReasonCode, string Description)
{
    public override string ToString() => $"{ReasonCode}: {Description}";
}
