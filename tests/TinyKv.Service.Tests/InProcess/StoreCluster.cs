using TinyKv.Storage;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>A one-silo TestCluster hosting store 1 on a FASTER engine in the cluster's temp data root.</summary>
internal sealed class StoreCluster : IAsyncDisposable
{
    private StoreCluster(TestCluster cluster, StoreEngine store)
    {
        Cluster = cluster;
        Store = store;
    }

    public TestCluster Cluster { get; }

    public StoreEngine Store { get; }

    /// <summary>The store's engine, for the scenarios' direct reads and writes.</summary>
    public IKvEngine Engine => Store.Engine!;

    public IRawKvGrain Grain => Cluster.GrainFactory.GetGrain<IRawKvGrain>(1);

    public static Task<StoreCluster> StartAsync(bool inMemory = false) => StartAsync(SyncPolicy.Sync, inMemory, openEngine: null);

    /// <summary>A store with <paramref name="syncPolicy"/> on <paramref name="engine"/>.</summary>
    public static Task<StoreCluster> StartAsync(SyncPolicy syncPolicy, IKvEngine engine) => StartAsync(syncPolicy, inMemory: false, _ => engine);

    private static async Task<StoreCluster> StartAsync(SyncPolicy syncPolicy, bool inMemory, Func<StoreOptions, IKvEngine>? openEngine)
    {
        var builder = new TestClusterBuilder(1);
        var options = new StoreOptions
        {
            Directory = Path.Combine(builder.Options.DataRoot, "store-1"),
            ClusterId = builder.Options.ClusterId,
            InMemory = inMemory,
            SyncPolicy = syncPolicy,
        };
        var store = new StoreEngine(options, openEngine: openEngine);
        builder.ConfigureSilos(silo => silo.AddTinyKvStore(options, store));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new StoreCluster(cluster, store);
    }

    public async Task PutDirectAsync(ColumnFamily cf, byte[] key, byte[] value) =>
        await Engine.WriteAsync(new WriteBatch().Put(cf, key, value));

    public byte[]? GetDirect(ColumnFamily cf, byte[] key)
    {
        using var snapshot = Engine.Snapshot();
        return snapshot.Get(cf, key);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Store.Dispose();
        if (Directory.Exists(Cluster.Options.DataRoot))
        {
            Directory.Delete(Cluster.Options.DataRoot, recursive: true);
        }
    }
}
