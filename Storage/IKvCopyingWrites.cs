namespace TinyKv.Storage;

/// <summary>
/// An engine that copies whatever it keeps of a batch: once the task of
/// <see cref="IKvEngine.WriteAsync"/> has completed, the engine holds no reference to the batch or
/// to any of its key and value arrays, so the writer may refill them (<see cref="WriteBatch.Recycle"/>).
/// </summary>
/// <remarks>
/// A promise, with no members: an engine that keeps a batch's arrays (<c>MemoryEngine</c> stores
/// them as its values) must not implement it, and one that starts to must drop it.
/// </remarks>
public interface IKvCopyingWrites
{
}
