namespace TinyKv.Storage;

/// <summary>
/// A store's raft-log engine: per region, an append-mostly log of entries compacted by prefix,
/// and the region's raft state; one batch for many regions, one fsync per batch (TiKV raft-engine).
/// </summary>
/// <remarks>
/// Contracts (checked by the conformance suite):
/// <list type="number">
/// <item>A region's log holds the consecutive indexes [<see cref="FirstIndex"/>, <see cref="LastIndex"/>];
/// an unknown region has FirstIndex 1 and LastIndex 0. An append must start within
/// [FirstIndex, LastIndex + 1], or anywhere when the log is empty (after a raft snapshot); it
/// overwrites the suffix it conflicts with.</item>
/// <item>A batch that breaks a rule is rejected whole with <see cref="ArgumentException"/>; nothing of it is applied.</item>
/// <item>Batches are atomic across a crash; after one the engine holds a prefix of them containing every synced batch.</item>
/// <item>Methods are thread-safe; use after dispose throws <see cref="ObjectDisposedException"/>.</item>
/// <item><see cref="WriteAsync"/> may complete synchronously: a durable engine commits a write on
/// the caller's thread when it is idle, blocking the caller for one fsync.</item>
/// </list>
/// </remarks>
public interface IRaftLogEngine : IDisposable
{
    ValueTask WriteAsync(RaftLogBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The entry at <paramref name="index"/>, or null when it is compacted or past the end.</summary>
    RaftEntry? GetEntry(ulong regionId, ulong index);

    /// <summary>
    /// Adds the entries [<paramref name="low"/>, <paramref name="high"/>) to <paramref name="into"/>
    /// until their sizes would exceed <paramref name="maxBytes"/>, but always at least one.
    /// </summary>
    RaftLogFetch FetchEntries(ulong regionId, ulong low, ulong high, long maxBytes, List<RaftEntry> into);

    ulong FirstIndex(ulong regionId);

    ulong LastIndex(ulong regionId);

    /// <summary>The term of the entry at <paramref name="index"/>, or null when it is not in the log.</summary>
    ulong? Term(ulong regionId, ulong index);

    /// <summary>The saved raft state, or null when none was saved.</summary>
    RaftState? GetState(ulong regionId);

    /// <summary>Every region with entries or state, in ascending id order.</summary>
    IReadOnlyList<ulong> Regions();
}
