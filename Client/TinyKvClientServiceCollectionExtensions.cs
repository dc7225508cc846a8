using Microsoft.Extensions.DependencyInjection;

namespace TinyKv.Client;

/// <summary>Dependency injection of a <see cref="TinyKvClient"/>.</summary>
public static class TinyKvClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TinyKvClientOptions"/> and a <see cref="ITinyKvClientProvider"/> whose
    /// <c>GetClientAsync</c> connects once, on first use, and shares the client; the container disposes it.
    /// </summary>
    public static IServiceCollection AddTinyKvClient(this IServiceCollection services, Action<TinyKvClientOptions>? configure = null)
    {
        var options = new TinyKvClientOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ITinyKvClientProvider, TinyKvClientProvider>();
        return services;
    }
}

/// <summary>The application's shared <see cref="TinyKvClient"/>, connected on first use.</summary>
public interface ITinyKvClientProvider
{
    Task<TinyKvClient> GetClientAsync(CancellationToken cancellationToken = default);
}

internal sealed class TinyKvClientProvider(TinyKvClientOptions options) : ITinyKvClientProvider, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TinyKvClient? _client;

    public async Task<TinyKvClient> GetClientAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _client) is { } client)
        {
            return client;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _client ??= await TinyKvClient.ConnectAsync(options, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _gate.Dispose();
    }
}
