using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TinyKv.Actors.Hosting;

namespace TinyKv.Actors;

/// <summary>Hosts a silo on the generic host: <c>builder.UseTinyKvSilo(silo => silo.UseLocalhostClustering())</c>.</summary>
public static class SiloHostingExtensions
{
    public static IHostBuilder UseTinyKvSilo(this IHostBuilder builder, Action<ISiloBuilder> configure) =>
        builder.ConfigureServices((_, services) => services.AddTinyKvSilo(configure));

    public static IHostApplicationBuilder UseTinyKvSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        builder.Services.AddTinyKvSilo(configure);
        return builder;
    }

    public static IServiceCollection AddTinyKvSilo(this IServiceCollection services, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (!services.Any(d => d.ServiceType == typeof(Silo)))
        {
            services.AddOptions<SiloOptions>().ValidateOnStart();
            services.AddOptions<SiloMessagingOptions>().ValidateOnStart();
            services.AddOptions<GrainCollectionOptions>().ValidateOnStart();
            services.AddOptions<ClusterMembershipOptions>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
            services.AddSingleton<IValidateOptions<SiloMessagingOptions>, SiloMessagingOptionsValidator>();
            services.AddSingleton<IValidateOptions<GrainCollectionOptions>, GrainCollectionOptionsValidator>();
            services.AddSingleton<IValidateOptions<ClusterMembershipOptions>, ClusterMembershipOptionsValidator>();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<Silo>();
            services.AddHostedService(sp => sp.GetRequiredService<Silo>());
            services.TryAddSingleton<IGrainFactory>(sp => new SiloGrainFactory(sp.GetRequiredService<Silo>()));
        }

        configure(new SiloBuilder(services));
        return services;
    }

    /// <summary>IGrainFactory for application services of a silo; usable once the silo started.</summary>
    private sealed class SiloGrainFactory(Silo silo) : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
            where TGrainInterface : IGrainWithIntegerKey => silo.GrainFactory.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
            where TGrainInterface : IGrainWithStringKey => silo.GrainFactory.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
            where TGrainInterface : IGrainWithGuidKey => silo.GrainFactory.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension)
            where TGrainInterface : IGrainWithIntegerCompoundKey => silo.GrainFactory.GetGrain<TGrainInterface>(primaryKey, keyExtension);
    }
}
