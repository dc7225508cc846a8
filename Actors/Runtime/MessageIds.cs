namespace TinyKv.Actors.Runtime;

/// <summary>
/// Message ids of one sender: unique and from one counter, but each thread takes them in blocks of
/// <see cref="BlockSize"/>, so concurrent callers touch the shared counter once per block instead of
/// contending for its cache line on every call. Ids start at 1. Calls in flight at once stay within
/// a few blocks of each other, so they nearly always get distinct slots of
/// <see cref="CallbackRegistry"/>'s ring; a thread that pauses for many calls of the others resumes
/// with older ids, and a slot still held then sends the call to the ring's overflow.
/// </summary>
/// <remarks>
/// The per-thread blocks live for the sender's life (one per silo or client); the thread-local is
/// not disposed, since a call racing the sender's stop may still take an id.
/// </remarks>
internal sealed class MessageIds
{
    private const ulong BlockSize = 64;

    private readonly ThreadLocal<Block> _blocks = new(static () => new Block());

    private long _taken;

    public ulong Next()
    {
        var block = _blocks.Value!;
        if (block.Next == block.End)
        {
            block.End = (ulong)Interlocked.Add(ref _taken, (long)BlockSize);
            block.Next = block.End - BlockSize;
        }

        return ++block.Next;
    }

    private sealed class Block
    {
        public ulong Next;
        public ulong End;
    }
}
