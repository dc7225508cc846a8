namespace TinyKv.Actors.Runtime;

/// <summary>
/// A counter whose values are unique and start at 1, handed to each thread in blocks of
/// <c>blockSize</c>, so concurrent takers touch the shared count once per block instead of
/// contending for its cache line on every value. Values are not in order across threads: a thread
/// that pauses while others take many resumes with the rest of its older block.
/// </summary>
/// <remarks>
/// The per-thread blocks live as long as the counter (message ids: one per silo or client; call chain
/// ids: one per process); the thread-local is not disposed, since a take racing its owner's stop may
/// still come.
/// </remarks>
internal sealed class BlockCounter(ulong blockSize)
{
    private readonly ThreadLocal<Block> _blocks = new(static () => new Block());

    private long _taken;

    public ulong Next()
    {
        var block = _blocks.Value!;
        if (block.Next == block.End)
        {
            block.End = (ulong)Interlocked.Add(ref _taken, (long)blockSize);
            block.Next = block.End - blockSize;
        }

        return ++block.Next;
    }

    private sealed class Block
    {
        public ulong Next;
        public ulong End;
    }
}
