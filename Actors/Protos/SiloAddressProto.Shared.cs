namespace TinyKv.Actors.Wire;

/// <summary>
/// A shared instance (built once per address by <c>EnvelopeCodec.Write</c>) knows the address it
/// stands for, so reading it back allocates and looks up nothing; a parsed or cloned instance does not.
/// </summary>
public sealed partial class SiloAddressProto
{
    internal SiloAddress? SharedAddress { get; init; }
}
