using System.Net;

namespace TinyKv.Actors;

/// <summary>The TCP transport (<see cref="TcpMessageTransport"/>). Defaults suit one host on loopback.</summary>
public sealed class TcpTransportOptions
{
    /// <summary>Only nodes presenting this cluster id in the handshake are accepted. Default "dev" (the silo's ClusterId when set by UseTcpTransport).</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>
    /// When set, both ends of every connection prove knowledge of it by HMAC-SHA256 over fresh nonces;
    /// it is never sent. Default null: no secret (the cluster id still has to match).
    /// </summary>
    public string? SharedSecret { get; set; }

    /// <summary>The address the silo listens on. Default loopback: other addresses are an explicit choice.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The largest frame accepted or sent; a larger length prefix closes the connection. Default 4 MiB.</summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Envelopes queued per remote node before senders wait (backpressure). Default 16384.</summary>
    public int SendQueueCapacity { get; set; } = 16384;

    /// <summary>A flush is forced after this many bytes of coalesced frames. Default 256 KiB.</summary>
    public int MaxBatchBytes { get; set; } = 256 * 1024;

    /// <summary>Time for the TCP connect plus the handshake. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a failed connect; doubles up to <see cref="MaxReconnectBackoff"/>. Default 100 ms.</summary>
    public TimeSpan InitialReconnectBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Default 5 s.</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new ArgumentException("TcpTransportOptions.ClusterId must be set.");
        }

        if (MaxFrameSize < 1024)
        {
            throw new ArgumentException($"TcpTransportOptions.MaxFrameSize must be at least 1024 bytes, not {MaxFrameSize}.");
        }

        if (SendQueueCapacity < 1 || MaxBatchBytes < 1)
        {
            throw new ArgumentException("TcpTransportOptions.SendQueueCapacity and MaxBatchBytes must be positive.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || InitialReconnectBackoff <= TimeSpan.Zero || MaxReconnectBackoff < InitialReconnectBackoff)
        {
            throw new ArgumentException("TcpTransportOptions: ConnectTimeout and the reconnect backoffs must be positive, MaxReconnectBackoff >= InitialReconnectBackoff.");
        }
    }
}
