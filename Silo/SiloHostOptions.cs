using System.Globalization;

namespace TinyKv.Silo;

/// <summary>
/// Every setting of the silo process, read from appsettings.json, then environment variables
/// prefixed TINYKV_ (TINYKV_SILOPORT=20161), then command-line switches (--silo-port 20161).
/// </summary>
public sealed class SiloHostOptions
{
    /// <summary>Command-line switches and the settings they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--data-dir"] = nameof(DataDirectory),
        ["--cluster-id"] = nameof(ClusterId),
        ["--store-id"] = nameof(StoreId),
        ["--silo-port"] = nameof(SiloPort),
        ["--http-port"] = nameof(HttpPort),
        ["--engine-memory-mb"] = nameof(EngineMemoryMb),
        ["--sync-policy"] = nameof(SyncPolicy),
        ["--log-level"] = nameof(LogLevel),
        ["--shared-secret"] = nameof(SharedSecret),
    };

    /// <summary>Root of the silo's files: the store engine (store-{id}/) and the SQLite database (cluster.db). Created if missing. Default "./data".</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Silos and clients of one cluster share it; others are refused at the handshake. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The store this silo hosts. Default 1.</summary>
    public long StoreId { get; set; } = 1;

    /// <summary>The TCP port for clients and silos, on 127.0.0.1. Default 20160.</summary>
    public int SiloPort { get; set; } = 20160;

    /// <summary>The HTTP port of /healthz and /status, on 127.0.0.1. Default 20180.</summary>
    public int HttpPort { get; set; } = 20180;

    /// <summary>Memory for the engine's values, MiB. Default 64.</summary>
    public int EngineMemoryMb { get; set; } = 64;

    /// <summary>Sync (default: an acknowledged write survives a machine crash) or Relaxed (it survives a silo crash only).</summary>
    public string SyncPolicy { get; set; } = "Sync";

    /// <summary>Minimum console log level: Trace, Debug, Information, Warning (default), Error, Critical, None.</summary>
    public string LogLevel { get; set; } = "Warning";

    /// <summary>When set, silos and clients must prove knowledge of it at the handshake. Default none.</summary>
    public string? SharedSecret { get; set; }

    public string DatabasePath => Path.Combine(DataDirectory, "cluster.db");

    public string StoreDirectory => Path.Combine(DataDirectory, string.Create(CultureInfo.InvariantCulture, $"store-{StoreId}"));

    /// <summary>The first invalid setting, named, with the reason; null when all are valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            return "DataDirectory must be set";
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            return "ClusterId must be set";
        }

        if (StoreId < 1)
        {
            return $"StoreId must be positive, was {StoreId}";
        }

        if (SiloPort is < 1 or > 65535)
        {
            return $"SiloPort must be in [1, 65535], was {SiloPort}";
        }

        if (HttpPort is < 1 or > 65535 || HttpPort == SiloPort)
        {
            return $"HttpPort must be in [1, 65535] and differ from SiloPort, was {HttpPort}";
        }

        if (EngineMemoryMb is < 2 or > 65536)
        {
            return $"EngineMemoryMb must be in [2, 65536], was {EngineMemoryMb}";
        }

        if (!Enum.TryParse<Grains.SyncPolicy>(SyncPolicy, ignoreCase: true, out _))
        {
            return $"SyncPolicy must be Sync or Relaxed, was '{SyncPolicy}'";
        }

        return Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(LogLevel, ignoreCase: true, out _)
            ? null
            : $"LogLevel must be Trace, Debug, Information, Warning, Error, Critical or None, was '{LogLevel}'";
    }
}
