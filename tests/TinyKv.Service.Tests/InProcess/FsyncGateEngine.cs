using TinyKv.Storage;
using TinyKv.Storage.Memory;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>
/// A memory engine whose fsync is a gate the test opens: a synced batch waits for the gate before
/// it applies and returns; an unsynced batch applies at once. <see cref="Unsynced"/> counts the
/// batches a power loss before the next fsync could lose.
/// </summary>
internal sealed class FsyncGateEngine : IKvEngine
{
    private readonly MemoryEngine _inner = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _syncRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _syncedApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _synced;
    private int _unsynced;

    /// <summary>Completes when the first synced batch reached the engine and waits for the gate.</summary>
    public Task SyncRequested => _syncRequested.Task;

    /// <summary>
    /// Completes when the first synced batch has passed the gate and is applied (readable). Opening
    /// the gate only lets it continue, on the thread pool; a test that reads it back waits for this.
    /// </summary>
    public Task SyncedApplied => _syncedApplied.Task;

    public int Synced => Volatile.Read(ref _synced);

    public int Unsynced => Volatile.Read(ref _unsynced);

    public void OpenGate() => _gate.TrySetResult();

    public async ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Sync)
        {
            _syncRequested.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _synced);
        }
        else
        {
            Interlocked.Increment(ref _unsynced);
        }

        await _inner.WriteAsync(batch, cancellationToken);
        if (batch.Sync)
        {
            _syncedApplied.TrySetResult();
        }
    }

    public IKvSnapshot Snapshot() => _inner.Snapshot();

    public long ApproximateSize(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.ApproximateSize(startKey, endKey);

    public byte[]? SplitKey(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey) => _inner.SplitKey(startKey, endKey);

    public void Dispose() => _inner.Dispose();
}
