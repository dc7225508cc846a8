namespace TinyKv.TestingHost;

/// <summary>
/// Builds a <see cref="TestCluster"/> (Orleans' TestClusterBuilder). Silo configuration comes
/// from configurator classes (<see cref="AddSiloBuilderConfigurator{T}"/>) and, unlike Orleans,
/// also from per-test delegates that may capture locals (<see cref="ConfigureSilos"/>).
/// </summary>
public sealed class TestClusterBuilder
{
    private readonly List<Action<int, ISiloBuilder>> _configure = [];

    public TestClusterBuilder(int initialSilosCount = 2)
    {
        Options.InitialSilosCount = initialSilosCount;
    }

    public TestClusterOptions Options { get; } = new();

    public TestClusterBuilder AddSiloBuilderConfigurator<TConfigurator>()
        where TConfigurator : ISiloConfigurator, new()
    {
        _configure.Add((_, silo) => new TConfigurator().Configure(silo));
        return this;
    }

    /// <summary>A delegate run for every silo, with the silo's index.</summary>
    public TestClusterBuilder ConfigureSilos(Action<int, ISiloBuilder> configure)
    {
        _configure.Add(configure);
        return this;
    }

    public TestClusterBuilder ConfigureSilos(Action<ISiloBuilder> configure) => ConfigureSilos((_, silo) => configure(silo));

    public TestCluster Build() => new(Options, [.. _configure]);
}
