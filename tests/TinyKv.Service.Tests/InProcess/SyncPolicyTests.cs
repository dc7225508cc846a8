using TinyKv.Client;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>
/// What each sync policy promises about the moment of the acknowledgement, with fsync modelled as a
/// gate (<see cref="FsyncGateEngine"/>): Sync acknowledges after the fsync, Relaxed before any.
/// </summary>
public sealed class SyncPolicyTests
{
    [Fact]
    public async Task SyncAcknowledgesAPutOnlyAfterItsFsync()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);

        var put = client.PutAsync([1], [10]);
        await engine.SyncRequested.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(put.IsCompleted, "the put was acknowledged before its fsync");
        engine.OpenGate();
        await put;
        Assert.Equal(new byte[] { 10 }, await client.GetAsync([1]));
        Assert.Equal((1, 0), (engine.Synced, engine.Unsynced));
    }

    [Fact]
    public async Task RelaxedAcknowledgesPutsAndDeletesWithoutAnyFsync()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Relaxed, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client);

        await client.PutAsync([1], [10]);
        await client.BatchPutAsync([KeyValuePair.Create<byte[], byte[]>([2], [20]), KeyValuePair.Create<byte[], byte[]>([3], [30])]);
        await client.DeleteAsync([3]);

        // The gate never opened: every write was acknowledged, and is visible, with no fsync. These
        // are the writes a power loss or kernel crash before the OS writes them back may lose.
        Assert.Equal(new byte[] { 10 }, await client.GetAsync([1]));
        Assert.Equal(new byte[] { 20 }, await client.GetAsync([2]));
        Assert.Null(await client.GetAsync([3]));
        Assert.Equal((0, 3), (engine.Synced, engine.Unsynced));
        Assert.False(engine.SyncRequested.IsCompleted);
    }

    [Fact]
    public async Task StatusReportsThePolicy()
    {
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Relaxed, new FsyncGateEngine());
        await using var client = TinyKvClient.Create(kv.Cluster.Client);

        Assert.Equal("Relaxed", (await client.GetStatusAsync()).SyncPolicy);
    }
}
