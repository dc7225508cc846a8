namespace TinyKv.Scheduler.Ids;

/// <summary>
/// Durable high-water marks for the id allocator and the timestamp oracle. Each allocator saves
/// a mark ahead of what it hands out, in windows, so a restart resumes past everything already
/// issued while most allocations touch no storage.
/// </summary>
/// <remarks>
/// Contract: <see cref="Save"/> returns only once the value is durable (a later <see cref="TryLoad"/>,
/// even after a crash, sees it or a greater value); it throws on an I/O fault, and the allocator
/// then hands out nothing from the unsaved window. Values saved under one key only grow.
/// </remarks>
public interface IHighWaterMarkStore
{
    bool TryLoad(string key, out long value);

    void Save(string key, long value);
}
