using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Runtime.CompilerServices;
using TinyKv.Actors;
using TinyKv.Grains.Interfaces;

namespace TinyKv.Grains;

/// <summary>Hosts a store in a silo: its engine, its placement and the raw KV grain.</summary>
public static class StoreHostingExtensions
{
    /// <summary>
    /// Registers the store's <see cref="StoreEngine"/> (opened on host start, closed on stop) and
    /// announces the store id in the silo's membership row, so that <see cref="RawKvGrain"/> is
    /// placed here. Throws <see cref="ArgumentException"/> naming an invalid setting.
    /// </summary>
    public static ISiloBuilder AddTinyKvStore(this ISiloBuilder builder, StoreOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<StoreEngine>();
        return builder.HostStore(options);
    }

    /// <summary>Hosts a store whose engine the caller created (tests reach the engine through it).</summary>
    public static ISiloBuilder AddTinyKvStore(this ISiloBuilder builder, StoreOptions options, StoreEngine store)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        return builder.HostStore(options);
    }

    private static ISiloBuilder HostStore(this ISiloBuilder builder, StoreOptions options)
    {
        // The runtime resolves a grain interface named on the wire among the loaded assemblies only:
        // load the contracts now, or the first call from a remote client is refused.
        RuntimeHelpers.RunClassConstructor(typeof(IRawKvGrain).TypeHandle);
        // First among hosted services: the engine opens before the silo serves and closes after it stopped.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<StoreEngine>()));
        builder.Configure<SiloOptions>(o =>
        {
            if (!o.HostedStoreIds.Contains(options.StoreId))
            {
                o.HostedStoreIds = [.. o.HostedStoreIds, options.StoreId];
            }
        });
        return builder;
    }
}
