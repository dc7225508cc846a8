namespace TinyKv.Actors;

/// <summary>Anything that has a grain identity: a grain instance or a grain reference.</summary>
public interface IAddressable
{
}

/// <summary>Marker of every grain interface. Methods return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain : IAddressable
{
}

/// <summary>A grain addressed by a 64-bit integer.</summary>
public interface IGrainWithIntegerKey : IGrain
{
}

/// <summary>A grain addressed by a string.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>A grain addressed by a Guid.</summary>
public interface IGrainWithGuidKey : IGrain
{
}

/// <summary>A grain addressed by a 64-bit integer plus a string extension.</summary>
public interface IGrainWithIntegerCompoundKey : IGrain
{
}
