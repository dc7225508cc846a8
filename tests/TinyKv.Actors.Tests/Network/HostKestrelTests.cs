using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests.Network;

/// <summary>A silo in a WebApplication: its silo port is a listener of the host's Kestrel, beside HTTP.</summary>
public sealed class HostKestrelTests
{
    [Fact]
    public async Task OneKestrelServesTheSiloPortAndHttp()
    {
        var table = new InMemoryMembershipTable();
        var directory = new InMemoryGrainDirectory();
        await using var first = await StartAsync(table, directory);
        await using var second = await StartAsync(table, directory);
        await using var client = await ClusterClient.ConnectAsync(
            table, new TcpMessageTransport(new TcpTransportOptions { ClusterId = "kestrel" }, acceptConnections: false), TimeProvider.System);

        for (int key = 0; key < 20; key++)
        {
            Assert.Equal(1, await client.GetGrain<ICounterGrain>(key).IncrementAsync());
        }

        Assert.All([first, second], s => Assert.True(s.Silo.ActivationCount > 0, $"{s.Silo.SiloAddress} hosts no grain"));
        using var http = new HttpClient();
        Assert.Equal($"ok {first.Silo.SiloAddress}", await http.GetStringAsync($"http://127.0.0.1:{first.HttpPort}/healthz"));
        Assert.Equal(0, first.Transport.ProtocolViolations + second.Transport.ProtocolViolations);
    }

    [Fact]
    public async Task ASiloStoppedInsideARunningHostRefusesNewConnections()
    {
        var table = new InMemoryMembershipTable();
        await using var silo = await StartAsync(table, new InMemoryGrainDirectory());
        await silo.Silo.StopAsync(CancellationToken.None);
        var options = new TcpClusterClientOptions { ClusterId = "kestrel" }.UseStaticClustering($"127.0.0.1:{silo.Silo.SiloAddress.Port}");
        options.Transport.ConnectTimeout = TimeSpan.FromSeconds(2);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => TcpClusterClient.ConnectAsync(options));

        using var http = new HttpClient();
        Assert.StartsWith("ok", await http.GetStringAsync($"http://127.0.0.1:{silo.HttpPort}/healthz"), StringComparison.Ordinal);
    }

    private static async Task<WebSilo> StartAsync(InMemoryMembershipTable table, InMemoryGrainDirectory directory)
    {
        int siloPort = FreePorts.Next();
        int httpPort = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, httpPort));
        builder.Services.AddSingleton(new GrainEvents());
        builder.UseTinyKvSilo(silo => silo
            .Configure<SiloOptions>(o =>
            {
                o.SiloPort = siloPort;
                o.ClusterId = "kestrel";
            })
            .UseInMemoryClustering(table, directory)
            .UseTcpTransport()
            .ListenOnHostKestrel());
        var app = builder.Build();
        var silo = app.Services.GetRequiredService<Silo>();
        app.MapGet("/healthz", () => Results.Text($"ok {silo.SiloAddress}"));
        await app.StartAsync();
        return new WebSilo(app, silo, (TcpMessageTransport)app.Services.GetRequiredService<IMessageTransport>(), httpPort);
    }

    private sealed record WebSilo(WebApplication App, Silo Silo, TcpMessageTransport Transport, int HttpPort) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
