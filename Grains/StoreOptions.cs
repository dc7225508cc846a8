namespace TinyKv.Grains;

/// <summary>The store a silo hosts. Defaults suit one store on a developer machine.</summary>
public sealed class StoreOptions
{
    /// <summary>The store's id (also the key of its <c>IRawKvGrain</c>). Default 1.</summary>
    public long StoreId { get; set; } = 1;

    /// <summary>Where the engine keeps its files; created if missing. Default "./data/store-1".</summary>
    public string Directory { get; set; } = Path.Combine(".", "data", "store-1");

    /// <summary>Memory for values the engine keeps in memory, in MiB (rounded down to a power of two, at least 2). Default 64.</summary>
    public int EngineMemoryMb { get; set; } = 64;

    /// <summary>Default <see cref="Grains.SyncPolicy.Sync"/>: durable acknowledgements.</summary>
    public SyncPolicy SyncPolicy { get; set; } = SyncPolicy.Sync;

    /// <summary>The cluster id reported by the status endpoint. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>True uses the in-memory reference engine (tests): nothing is written to disk. Default false.</summary>
    public bool InMemory { get; set; }

    /// <summary>The name of the first invalid setting with the reason, or null when valid.</summary>
    public string? Validate()
    {
        if (StoreId < 1)
        {
            return $"StoreId must be positive, was {StoreId}";
        }

        if (!InMemory && string.IsNullOrWhiteSpace(Directory))
        {
            return "DataDirectory must be set";
        }

        if (EngineMemoryMb is < 2 or > 65536)
        {
            return $"EngineMemoryMb must be in [2, 65536], was {EngineMemoryMb}";
        }

        return Enum.IsDefined(SyncPolicy) ? null : $"SyncPolicy must be Sync or Relaxed, was {SyncPolicy}";
    }
}
