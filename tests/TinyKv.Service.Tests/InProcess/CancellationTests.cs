using TinyKv.Client;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>
/// A cancelled token ends the caller's wait at once. It does not recall a request already sent: a
/// cancelled put may still apply (raw writes are idempotent, so retrying it is safe).
/// </summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task CancellingAPutWaitingForItsFsyncReturnsAtOnceAndTheWriteMayStillApply()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);
        using var cancel = new CancellationTokenSource();

        var put = client.PutAsync([1], [10], cancellationToken: cancel.Token);
        await engine.SyncRequested.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        engine.OpenGate();
        await engine.SyncedApplied.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new byte[] { 10 }, await client.GetAsync([1]));
    }

    [Fact]
    public async Task CancellingAPutQueuedBehindAnOutstandingCallLeavesTheOthersAlone()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { MaxBatchesInFlight = 1 });
        using var cancel = new CancellationTokenSource();

        var first = client.PutAsync([1], [10]);
        await engine.SyncRequested.WaitAsync(TimeSpan.FromSeconds(30));
        var cancelled = client.PutAsync([2], [20], cancellationToken: cancel.Token);
        var other = client.PutAsync([3], [30]);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(other.IsCompleted);
        engine.OpenGate();
        await Task.WhenAll(first, other);
        Assert.Equal(new byte[] { 30 }, await client.GetAsync([3]));
    }

    [Fact]
    public async Task CancellingAScanStopsItAtTheNextPage()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { ScanPageSize = 5 });
        await client.BatchPutAsync(Enumerable.Range(0, 50).Select(i => KeyValuePair.Create(new[] { (byte)i }, new[] { (byte)i })));
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.ScanAsync(limit: 0).WithCancellation(cancel.Token))
            {
                if (++seen == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(5, seen);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenSendsNothing()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PutAsync([1], [1], cancellationToken: cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DeleteAsync([1], cancellationToken: cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync([1], cancellationToken: cancel.Token));

        Assert.Equal((0, 0), (engine.Synced, engine.Unsynced));
    }
}
