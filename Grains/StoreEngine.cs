using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Storage;
using TinyKv.Storage.Faster;
using TinyKv.Storage.Memory;

namespace TinyKv.Grains;

/// <summary>
/// The store of this silo: owns its KV engine from host start to host stop. The engine opens
/// (and recovers) on start; the graceful stop waits for no new writes and disposes it, which
/// flushes and closes its files. Grains read <see cref="Engine"/>, null while not open.
/// </summary>
public sealed class StoreEngine : IHostedService, IDisposable
{
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Func<StoreOptions, IKvEngine>? _openEngine;
    private IKvEngine? _engine;
    private long _openedAt;

    /// <param name="options">The store's settings.</param>
    /// <param name="time">The clock of <see cref="Uptime"/>.</param>
    /// <param name="log">Open and close events.</param>
    /// <param name="openEngine">
    /// Opens the engine in place of the default (FASTER in <see cref="StoreOptions.Directory"/>, or the
    /// memory engine when <see cref="StoreOptions.InMemory"/>): tests pass an engine that models fsync.
    /// </param>
    public StoreEngine(StoreOptions options, TimeProvider? time = null, ILogger<StoreEngine>? log = null, Func<StoreOptions, IKvEngine>? openEngine = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _log = (ILogger?)log ?? NullLogger.Instance;
        _openEngine = openEngine;
    }

    public long StoreId => _options.StoreId;

    public string ClusterId => _options.ClusterId;

    public SyncPolicy SyncPolicy => _options.SyncPolicy;

    /// <summary>The open engine, or null before start and after stop (the store is not ready).</summary>
    public IKvEngine? Engine => Volatile.Read(ref _engine);

    public TimeSpan Uptime => Engine is null ? TimeSpan.Zero : _time.GetElapsedTime(_openedAt);

    /// <summary>The last batch sequence the engine applied, when it reports one.</summary>
    public ulong LastSequence => Engine is FasterKvEngine faster ? faster.LastSequence : 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Open();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Opens the engine now (idempotent); recovery runs here.</summary>
    public void Open()
    {
        if (Engine is not null)
        {
            return;
        }

        IKvEngine engine;
        if (_openEngine is not null)
        {
            engine = _openEngine(_options);
        }
        else if (_options.InMemory)
        {
            engine = new MemoryEngine();
        }
        else
        {
            System.IO.Directory.CreateDirectory(_options.Directory);
            int bits = Math.Max(21, 63 - (int)long.LeadingZeroCount((long)_options.EngineMemoryMb << 20));
            engine = FasterKvEngine.Open(new FasterKvOptions
            {
                Directory = _options.Directory,
                ValueMemorySizeBits = bits,
                Logger = _log,
            });
        }

        _openedAt = _time.GetTimestamp();
        Volatile.Write(ref _engine, engine);
        _log.LogInformation("Store {StoreId} opened its engine at {Directory} (sync policy {SyncPolicy})", StoreId, _options.InMemory ? "memory" : _options.Directory, SyncPolicy);
    }

    public void Dispose()
    {
        var engine = Interlocked.Exchange(ref _engine, null);
        if (engine is not null)
        {
            engine.Dispose();
            _log.LogInformation("Store {StoreId} closed its engine", StoreId);
        }
    }
}
