namespace TinyKv.TestingHost;

/// <summary>Shape of a test cluster.</summary>
public sealed class TestClusterOptions
{
    /// <summary>Silos started by DeployAsync. Default 2.</summary>
    public int InitialSilosCount { get; set; } = 2;

    /// <summary>Default "testcluster".</summary>
    public string ClusterId { get; set; } = "testcluster";

    /// <summary>
    /// Silos and the client talk over real TCP on loopback (free ports; BaseSiloPort is ignored)
    /// instead of the in-memory network. Network filters and idle tracking do not apply to TCP, so
    /// use it for scenarios that do not advance fake time to wait for messages. Default false.
    /// </summary>
    public bool UseTcpTransport { get; set; }

    /// <summary>Silo i listens on BaseSiloPort + i. Default 11111.</summary>
    public int BaseSiloPort { get; set; } = 11111;

    /// <summary>Where silo data directories go (silo i: DataRoot/silo-i). Default: a fresh temp directory.</summary>
    public string DataRoot { get; set; } = Path.Combine(Path.GetTempPath(), $"tinykv-testcluster-{Guid.NewGuid():N}");

    /// <summary>
    /// A safety net in real time: QuiesceAsync fails with a clear message instead of hanging when
    /// background work never ends (an OnDeactivateAsync waiting on fake time, say). Default 30 s.
    /// </summary>
    public TimeSpan QuiescenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest fake time WaitForLivenessToStabilizeAsync advances before failing. Default 10 min.</summary>
    public TimeSpan MaxStabilizationTime { get; set; } = TimeSpan.FromMinutes(10);
}
