namespace TinyKv.Actors;

/// <summary>A connection to a cluster from outside it (Orleans' IClusterClient).</summary>
public interface IClusterClient : IGrainFactory, IAsyncDisposable
{
    /// <summary>This client's node address (responses come back to it).</summary>
    SiloAddress ClientAddress { get; }
}
