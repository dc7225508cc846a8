namespace TinyKv.Actors;

/// <summary>Identity and endpoint of a silo.</summary>
public sealed class SiloOptions
{
    /// <summary>Silos with the same cluster id form one cluster. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>A name for logs and the membership row. Default: "silo-{port}".</summary>
    public string? SiloName { get; set; }

    /// <summary>The host part of the silo's address. Default "127.0.0.1" (loopback only).</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port. Default 11111 (Orleans' default).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Store ids this silo hosts, announced in its membership row for <see cref="StorePlacement"/>. Default none.</summary>
    public IList<long> HostedStoreIds { get; set; } = [];

    /// <summary>Where the silo keeps its data; a restarted silo reuses it. Default "./data".</summary>
    public string DataDirectory { get; set; } = "./data";
}
