using System.Collections.Concurrent;
using System.Text;
using TinyKv.Client;
using TinyKv.Service.Tests.InProcess;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>
/// Acknowledged writes survive SIGKILL and graceful restarts of the silo process, under both sync
/// policies: Relaxed writes reach the operating system before they are acknowledged, so a killed
/// process loses none of them (only a machine crash may; see <see cref="SyncPolicyTests"/>).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DurabilityTests
{
    [Theory]
    [InlineData("Sync")]
    [InlineData("Relaxed")]
    public async Task EveryAcknowledgedWriteSurvivesAKillDuringWrites(string syncPolicy)
    {
        await using var silo = await SiloProcess.StartAsync(extraArgs: ["--sync-policy", syncPolicy]);
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var client = await silo.ConnectAsync(o =>
        {
            o.MaxRetries = 0;
            o.ResponseTimeout = TimeSpan.FromSeconds(2);
        }))
        {
            int next = 0;
            async Task WriterAsync()
            {
                try
                {
                    while (true)
                    {
                        string key = $"durable-{Interlocked.Increment(ref next):D6}";
                        await client.PutAsync(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(key));
                        acknowledged[key] = 0;
                        if (acknowledged.Count >= 300)
                        {
                            enough.TrySetResult();
                        }
                    }
                }
                catch (TinyKvUnavailableException)
                {
                    // The silo died under this writer: its unacknowledged put may or may not have applied.
                }
            }

            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(WriterAsync)).ToList();
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await silo.KillAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await silo.StartAsync();
        await using var reader = await silo.ConnectAsync();
        var present = new HashSet<string>();
        await foreach (var (key, value) in reader.ScanAsync("durable-"u8.ToArray(), "durable."u8.ToArray()))
        {
            Assert.Equal(key, value);
            present.Add(Encoding.UTF8.GetString(key));
        }

        Assert.Equal(syncPolicy, (await reader.GetStatusAsync()).SyncPolicy);
        var lost = acknowledged.Keys.Where(k => !present.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost, first {string.Join(", ", lost.Take(5))}\n{silo.Output}");
    }

    [Theory]
    [InlineData("Sync")]
    [InlineData("Relaxed")]
    public async Task DataSurvivesAGracefulRestart(string syncPolicy)
    {
        await using var silo = await SiloProcess.StartAsync(extraArgs: ["--sync-policy", syncPolicy]);
        await using (var client = await silo.ConnectAsync())
        {
            await client.BatchPutAsync(Enumerable.Range(0, 100).Select(i => KeyValuePair.Create(Encoding.UTF8.GetBytes($"g-{i:D3}"), BitConverter.GetBytes(i))));
            await Task.WhenAll(Enumerable.Range(100, 50).Select(i => client.PutAsync(Encoding.UTF8.GetBytes($"g-{i:D3}"), BitConverter.GetBytes(i))));
            await client.DeleteAsync("g-050"u8.ToArray());
        }

        Assert.Equal(0, await silo.StopAsync());
        await silo.StartAsync();

        await using var reader = await silo.ConnectAsync();
        var keys = new List<string>();
        await foreach (var (key, _) in reader.ScanAsync("g-"u8.ToArray(), "g."u8.ToArray()))
        {
            keys.Add(Encoding.UTF8.GetString(key));
        }

        Assert.Equal(Enumerable.Range(0, 150).Where(i => i != 50).Select(i => $"g-{i:D3}"), keys);
        Assert.Equal(syncPolicy, (await reader.GetStatusAsync()).SyncPolicy);
    }

    [Fact]
    public async Task AClientRidesThroughASiloRestartOnItsRetries()
    {
        await using var silo = await SiloProcess.StartAsync();
        await using var client = await silo.ConnectAsync(o =>
        {
            o.MaxRetries = 100;
            o.MaxBackoff = TimeSpan.FromMilliseconds(500);
        });
        await client.PutAsync("before"u8.ToArray(), [1]);

        Assert.Equal(0, await silo.StopAsync());
        var restart = silo.StartAsync();
        await client.PutAsync("after"u8.ToArray(), [2]);
        await restart;

        Assert.Equal(new byte[] { 1 }, await client.GetAsync("before"u8.ToArray()));
        Assert.Equal(new byte[] { 2 }, await client.GetAsync("after"u8.ToArray()));
    }

    [Theory]
    [InlineData("--silo-port", "0", "SiloPort")]
    [InlineData("--silo-port", "many", "SiloPort")]
    [InlineData("--sync-policy", "sometimes", "SyncPolicy")]
    [InlineData("--store-id", "-1", "StoreId")]
    [InlineData("--engine-memory-mb", "1", "EngineMemoryMb")]
    public async Task InvalidConfigurationExitsNonZeroNamingTheSetting(string option, string value, string setting)
    {
        using var process = new System.Diagnostics.Process { StartInfo = SiloProcess.StartInfo(Artifacts.SiloDll, "--data-dir", Artifacts.TempDirectory(), option, value) };
        process.Start();
        string stderr = (await process.StandardError.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, process.ExitCode);
        Assert.StartsWith("tinykv-silo: invalid configuration:", stderr, StringComparison.Ordinal);
        Assert.Contains(setting, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr);
    }
}
