namespace TinyKv.Actors;

/// <summary>Call behaviour.</summary>
public sealed class SiloMessagingOptions
{
    /// <summary>A call without a response after this fails with TimeoutException. Default 30 s (Orleans' default).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often silos may pass one request on before it fails (stale directory, races). Default 2.</summary>
    public int MaxForwardCount { get; set; } = 2;
}
