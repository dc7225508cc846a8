using Microsoft.Extensions.DependencyInjection;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

/// <summary>Starts a test cluster whose grains report to <paramref name="events"/> (a per-test delegate).</summary>
internal static class Clusters
{
    public static async Task<TestCluster> StartAsync(int silos, GrainEvents events, Action<int, ISiloBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos)
            .ConfigureSilos(silo => silo.Services.AddSingleton(events));
        if (configure is not null)
        {
            builder.ConfigureSilos(configure);
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The running silo hosting an activation of <paramref name="id"/>, or null.</summary>
    public static IReadOnlyList<SiloHandle> Hosting(this TestCluster cluster, GrainId id) =>
        [.. cluster.Silos.Where(s => s.Silo.HostsActivation(id))];
}
