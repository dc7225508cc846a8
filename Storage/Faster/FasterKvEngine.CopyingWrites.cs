namespace TinyKv.Storage.Faster;

/// <remarks>
/// <see cref="IKvCopyingWrites"/>: a batch is read only until its task completes. The writer encodes
/// it into the WAL buffer and the apply copies each key and value into the index
/// (<c>MvccEntry</c>, <c>MvccVersion</c>) or the value store, all before the task completes; nothing
/// reads the batch after that.
/// </remarks>
public sealed partial class FasterKvEngine : IKvCopyingWrites
{
}
