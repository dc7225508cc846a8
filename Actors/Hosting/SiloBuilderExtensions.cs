using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TinyKv.Actors;

/// <summary>Silo configuration (Orleans' names where they exist).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// A cluster inside this process: in-memory membership, directory, default grain storage and
    /// network shared by every silo with the same <paramref name="clusterId"/>.
    /// </summary>
    public static ISiloBuilder UseLocalhostClustering(this ISiloBuilder builder, int siloPort = 11111, string clusterId = "dev")
    {
        var cluster = LocalhostCluster.For(clusterId);
        builder.Configure<SiloOptions>(o =>
        {
            o.SiloPort = siloPort;
            o.ClusterId = clusterId;
        });
        builder.UseInMemoryClustering(cluster.MembershipTable, cluster.Directory);
        builder.UseTransport(cluster.Network);
        builder.Services.TryAddKeyedSingleton<IGrainStorage>(GrainStorageNames.Default, cluster.Storage);
        return builder;
    }

    /// <summary>Membership and grain directory from shared instances.</summary>
    public static ISiloBuilder UseInMemoryClustering(this ISiloBuilder builder, IMembershipTable table, IGrainDirectory directory)
    {
        builder.Services.RemoveAll<IMembershipTable>();
        builder.Services.RemoveAll<IGrainDirectory>();
        builder.Services.AddSingleton(table);
        builder.Services.AddSingleton(directory);
        return builder;
    }

    public static ISiloBuilder UseTransport(this ISiloBuilder builder, IMessageTransport transport)
    {
        builder.Services.RemoveAll<IMessageTransport>();
        builder.Services.AddSingleton(transport);
        return builder;
    }

    public static ISiloBuilder UseTimeProvider(this ISiloBuilder builder, TimeProvider time)
    {
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton(time);
        return builder;
    }

    public static ISiloBuilder Configure<TOptions>(this ISiloBuilder builder, Action<TOptions> configure)
        where TOptions : class
    {
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Grain state in memory under <paramref name="name"/>; pass one instance to several silos to share it.</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name, MemoryGrainStorage? storage = null)
    {
        builder.Services.RemoveAllKeyed<IGrainStorage>(name);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, storage ?? new MemoryGrainStorage());
        return builder;
    }

    public static ISiloBuilder AddMemoryGrainStorageAsDefault(this ISiloBuilder builder, MemoryGrainStorage? storage = null) =>
        builder.AddMemoryGrainStorage(GrainStorageNames.Default, storage);

    public static ISiloBuilder AddIncomingGrainCallFilter<TFilter>(this ISiloBuilder builder)
        where TFilter : class, IIncomingGrainCallFilter
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter, TFilter>();
        return builder;
    }

    public static ISiloBuilder AddIncomingGrainCallFilter(this ISiloBuilder builder, IIncomingGrainCallFilter filter)
    {
        builder.Services.AddSingleton(filter);
        return builder;
    }

    public static ISiloBuilder AddOutgoingGrainCallFilter<TFilter>(this ISiloBuilder builder)
        where TFilter : class, IOutgoingGrainCallFilter
    {
        builder.Services.AddSingleton<IOutgoingGrainCallFilter, TFilter>();
        return builder;
    }

    public static ISiloBuilder AddOutgoingGrainCallFilter(this ISiloBuilder builder, IOutgoingGrainCallFilter filter)
    {
        builder.Services.AddSingleton(filter);
        return builder;
    }

    /// <summary>Replaces the director of <typeparamref name="TStrategy"/> (or adds one for a new strategy).</summary>
    public static ISiloBuilder AddPlacementDirector<TStrategy, TDirector>(this ISiloBuilder builder)
        where TStrategy : PlacementStrategy
        where TDirector : class, IPlacementDirector
    {
        builder.Services.AddKeyedSingleton<IPlacementDirector, TDirector>(typeof(TStrategy));
        return builder;
    }
}
