using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TinyKv.Actors;

/// <summary><c>services.AddClusterClient(o => ...)</c>: an <see cref="IClusterClient"/> connected when the host starts.</summary>
public static class ClusterClientServiceExtensions
{
    public static IServiceCollection AddClusterClient(this IServiceCollection services, Action<TcpClusterClientOptions> configure)
    {
        var options = new TcpClusterClientOptions();
        configure(options);
        services.AddSingleton(sp => new ClusterClientService(options, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IClusterClient>(sp => sp.GetRequiredService<ClusterClientService>());
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<ClusterClientService>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterClientService>());
        return services;
    }

    /// <summary>Connects on host start, disconnects on stop; grain references are usable once started.</summary>
    private sealed class ClusterClientService(TcpClusterClientOptions options, ILoggerFactory? loggers) : IHostedService, IClusterClient
    {
        private ClusterClient? _client;

        public SiloAddress ClientAddress => Client.ClientAddress;

        private ClusterClient Client => _client ?? throw new InvalidOperationException("The cluster client connects when the host starts.");

        public async Task StartAsync(CancellationToken cancellationToken) =>
            _client = await TcpClusterClient.ConnectAsync(options, loggers, cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _client, null) is { } client)
            {
                await client.DisposeAsync();
            }
        }

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
            where TGrainInterface : IGrainWithIntegerKey => Client.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
            where TGrainInterface : IGrainWithStringKey => Client.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
            where TGrainInterface : IGrainWithGuidKey => Client.GetGrain<TGrainInterface>(primaryKey);

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension)
            where TGrainInterface : IGrainWithIntegerCompoundKey => Client.GetGrain<TGrainInterface>(primaryKey, keyExtension);
    }
}
