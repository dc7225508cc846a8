namespace TinyKv.TestingHost;

/// <summary>Configures every silo of a test cluster (Orleans' ISiloConfigurator); needs a parameterless constructor.</summary>
public interface ISiloConfigurator
{
    void Configure(ISiloBuilder siloBuilder);
}
