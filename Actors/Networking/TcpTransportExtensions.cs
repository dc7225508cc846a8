using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TinyKv.Actors;

/// <summary>Puts a silo on the TCP transport.</summary>
public static class TcpTransportExtensions
{
    /// <summary>
    /// Silo-to-silo and client-to-silo traffic over TCP on <see cref="SiloOptions.SiloPort"/>, bound to
    /// loopback unless <see cref="TcpTransportOptions.ListenAddress"/> says otherwise. The handshake's
    /// cluster id is the silo's <see cref="SiloOptions.ClusterId"/> unless <paramref name="configure"/> sets one.
    /// </summary>
    public static ISiloBuilder UseTcpTransport(this ISiloBuilder builder, Action<TcpTransportOptions>? configure = null)
    {
        builder.Services.RemoveAll<IMessageTransport>();
        builder.Services.AddSingleton<IMessageTransport>(services =>
        {
            var options = new TcpTransportOptions { ClusterId = services.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId };
            configure?.Invoke(options);
            return new TcpMessageTransport(options, services.GetService<ILoggerFactory>());
        });
        return builder;
    }
}
