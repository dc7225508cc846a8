using TinyKv.Actors;

namespace TinyKv.Client;

/// <summary>How a <see cref="TinyKvClient"/> reaches the cluster. Defaults match a silo started with its defaults.</summary>
public sealed class TinyKvClientOptions
{
    /// <summary>The default silo endpoint.</summary>
    public const string DefaultEndpoint = "127.0.0.1:20160";

    /// <summary>Silo endpoints ("host:port"); any reachable one serves as gateway. Default one: <see cref="DefaultEndpoint"/>.</summary>
    public IList<string> Endpoints { get; set; } = [DefaultEndpoint];

    /// <summary>Must equal the silos' cluster id, or the connection is refused. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The cluster's shared secret, when the silos have one. Default none.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>The store whose raw KV API the client calls. Default 1.</summary>
    public long StoreId { get; set; } = 1;

    /// <summary>A call without an answer after this long fails (and is retried). Default 10 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to connect and complete the handshake with one endpoint. Default 3 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries of a call after a transient transport failure (never after an error answer). Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First wait before a retry; doubles up to <see cref="MaxBackoff"/>. Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Default 2 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Batch calls outstanding at once per kind (gets; puts and deletes). A get, put or delete issued
    /// while this many are outstanding waits and goes with the next call. Default 1: under load every
    /// waiting command shares the next round trip and, for writes, the next fsync (measured better
    /// than 2 for durable puts at 64 in flight); a lone caller never waits.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 1;

    /// <summary>Pairs per scan request when a scan pages. Default 1000.</summary>
    public int ScanPageSize { get; set; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("TinyKvClientOptions.Endpoints must name at least one endpoint.");
        }

        foreach (string endpoint in Endpoints)
        {
            _ = TcpClusterClientOptions.ParseEndPoint(endpoint);
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new ArgumentException("TinyKvClientOptions.ClusterId must be set.");
        }

        if (ResponseTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("TinyKvClientOptions.ResponseTimeout and ConnectTimeout must be positive.");
        }

        if (MaxRetries < 0 || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("TinyKvClientOptions: MaxRetries must not be negative, InitialBackoff positive, MaxBackoff >= InitialBackoff.");
        }

        if (MaxBatchesInFlight is < 1 or > 1024)
        {
            throw new ArgumentException($"TinyKvClientOptions.MaxBatchesInFlight must be in [1, 1024], was {MaxBatchesInFlight}.");
        }

        if (ScanPageSize is < 1 or > 10_000)
        {
            throw new ArgumentException($"TinyKvClientOptions.ScanPageSize must be in [1, 10000], was {ScanPageSize}.");
        }
    }
}
