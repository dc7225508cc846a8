using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class HostingTests
{
    [Theory]
    [InlineData(0, "SiloPort")]
    [InlineData(70000, "SiloPort")]
    public async Task InvalidOptionsFailAtStartWithAClearMessage(int port, string expected)
    {
        using var host = new HostBuilder()
            .UseTinyKvSilo(silo => silo.UseLocalhostClustering(clusterId: $"invalid-{port}").Configure<SiloOptions>(o => o.SiloPort = port))
            .Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegativeResponseTimeoutIsRefused()
    {
        using var host = new HostBuilder()
            .UseTinyKvSilo(silo => silo.UseLocalhostClustering(clusterId: "invalid-timeout").Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(-1)))
            .Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("ResponseTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenericHostRunsASiloWithLocalhostClusteringAndStopsGracefully()
    {
        var events = new GrainEvents();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(events);
        builder.UseTinyKvSilo(silo => silo.UseLocalhostClustering(siloPort: 22222, clusterId: "hosting-test"));
        using var host = builder.Build();
        await host.StartAsync();

        var factory = host.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(1, await factory.GetGrain<ICounterGrain>(1).IncrementAsync());
        await using (var client = await ClusterClient.ConnectLocalhostAsync("hosting-test"))
        {
            Assert.Equal(2, await client.GetGrain<ICounterGrain>(1).IncrementAsync());
        }

        await host.StopAsync();

        Assert.Equal([DeactivationReasonCode.ShuttingDown], events.DeactivationReasons);
        var table = await LocalhostCluster.For("hosting-test").MembershipTable.ReadAllAsync();
        Assert.All(table.Members, m => Assert.Equal(SiloStatus.Dead, m.Entry.Status));
    }

    [Fact]
    public async Task MissingClusteringIsAClearStartupError()
    {
        using var host = new HostBuilder().UseTinyKvSilo(_ => { }).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("UseLocalhostClustering", error.Message, StringComparison.Ordinal);
    }
}
