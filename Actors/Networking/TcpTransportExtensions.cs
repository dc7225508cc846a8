using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TinyKv.Actors.Networking;

namespace TinyKv.Actors;

/// <summary>Puts a silo on the TCP transport.</summary>
public static class TcpTransportExtensions
{
    /// <summary>
    /// Silo-to-silo and client-to-silo traffic over TCP on <see cref="SiloOptions.SiloPort"/>, bound to
    /// loopback unless <see cref="TcpTransportOptions.ListenAddress"/> says otherwise. The handshake's
    /// cluster id is the silo's <see cref="SiloOptions.ClusterId"/> unless <paramref name="configure"/> sets one.
    /// The transport runs its own Kestrel server for the silo port unless <see cref="ListenOnHostKestrel"/> is called.
    /// </summary>
    public static ISiloBuilder UseTcpTransport(this ISiloBuilder builder, Action<TcpTransportOptions>? configure = null)
    {
        builder.Services.RemoveAll<IMessageTransport>();
        builder.Services.RemoveAll<TcpMessageTransport>();
        builder.Services.AddSingleton(services =>
        {
            var options = new TcpTransportOptions { ClusterId = services.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId };
            configure?.Invoke(options);
            return new TcpMessageTransport(options, services.GetService<ILoggerFactory>())
            {
                ListensOnHostKestrel = services.GetService<HostKestrelListener>() is not null,
                Tracker = services.GetService<IEnvelopeTracker>(),
            };
        });
        builder.Services.AddSingleton<IMessageTransport>(services => services.GetRequiredService<TcpMessageTransport>());
        return builder;
    }

    /// <summary>
    /// For a silo hosted in a WebApplication (or any host running Kestrel): the silo port becomes one
    /// more listener of the host's Kestrel, beside its HTTP listeners, instead of a second server.
    /// Call after <see cref="UseTcpTransport"/>. The listener is bound to
    /// <see cref="TcpTransportOptions.ListenAddress"/> and <see cref="SiloOptions.SiloPort"/>; connections
    /// that arrive before the silo has started wait for it (within the connect timeout).
    /// </summary>
    public static ISiloBuilder ListenOnHostKestrel(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton<HostKestrelListener>();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<SiloOptions>, IServiceProvider>((kestrel, silo, services) =>
            {
                var transport = services.GetService<TcpMessageTransport>()
                    ?? throw new InvalidOperationException("ListenOnHostKestrel needs UseTcpTransport() on the same silo builder.");
                kestrel.Listen(transport.Options.ListenAddress, silo.Value.SiloPort, listen =>
                    listen.Run(connection => transport.AcceptAsync(connection)));
            });
        return builder;
    }

    /// <summary>Marks a silo whose transport listens on the host's Kestrel.</summary>
    private sealed class HostKestrelListener;
}
