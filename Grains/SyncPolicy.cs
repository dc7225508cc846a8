namespace TinyKv.Grains;

/// <summary>When an acknowledged write is on stable storage.</summary>
public enum SyncPolicy
{
    /// <summary>
    /// Every write batch is fsynced before it is acknowledged (concurrent writers share one fsync:
    /// group commit). An acknowledged write survives a kill of the silo and a machine crash.
    /// </summary>
    Sync,

    /// <summary>
    /// Writes are acknowledged once they reached the operating system, without fsync. They survive a
    /// kill of the silo process, but a machine crash or power loss may lose the writes of the last
    /// moments before it (those not yet written back by the OS).
    /// </summary>
    Relaxed,
}
