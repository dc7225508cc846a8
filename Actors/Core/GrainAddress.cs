namespace TinyKv.Actors;

/// <summary>Where one activation of a grain lives: the grain directory's value.</summary>
public sealed record GrainAddress(GrainId GrainId, SiloAddress Silo, Guid ActivationId);
