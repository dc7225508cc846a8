using Microsoft.Extensions.Hosting;

namespace TinyKv.TestingHost;

/// <summary>One silo of a test cluster: its index (port, name and data directory follow from it), host and silo.</summary>
public sealed class SiloHandle
{
    internal SiloHandle(int index, string name, IHost host, Silo silo)
    {
        Index = index;
        Name = name;
        Host = host;
        Silo = silo;
    }

    public int Index { get; }

    public string Name { get; }

    public Silo Silo { get; }

    public SiloAddress SiloAddress => Silo.SiloAddress;

    /// <summary>False once stopped, killed, or self-killed after being declared dead.</summary>
    public bool IsActive => Silo.IsRunning;

    internal IHost Host { get; }

    public override string ToString() => $"{Name} {SiloAddress}";
}
