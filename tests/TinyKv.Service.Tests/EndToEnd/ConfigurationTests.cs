using Microsoft.Extensions.DependencyInjection;
using TinyKv.Client;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>Environment configuration of the silo, and the client through dependency injection.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConfigurationTests(SharedSilo shared)
{
    [Fact]
    public async Task EnvironmentVariablesWithTheTinyKvPrefixConfigureTheSilo()
    {
        var info = SiloProcess.StartInfo(Artifacts.SiloDll, "--data-dir", Artifacts.TempDirectory());
        info.Environment["TINYKV_HTTPPORT"] = "70000";
        using var process = new System.Diagnostics.Process { StartInfo = info };
        process.Start();
        string stderr = (await process.StandardError.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("HttpPort", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTinyKvClientConnectsOnFirstUse()
    {
        var services = new ServiceCollection().AddTinyKvClient(o =>
        {
            o.Endpoints = [shared.Silo.Endpoint];
            o.ClusterId = shared.Silo.ClusterId;
        });
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ITinyKvClientProvider>();

        var client = await clients.GetClientAsync();
        await client.PutAsync("di"u8.ToArray(), [7]);

        Assert.Same(client, await clients.GetClientAsync());
        Assert.Equal(new byte[] { 7 }, await client.GetAsync("di"u8.ToArray()));
    }

    [Fact]
    public async Task ACancelledTokenCancelsTheCall()
    {
        await using var client = await shared.Silo.ConnectAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PutAsync([1], [1], cancellationToken: cancelled.Token));
    }
}
