using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Regions;

public sealed partial class RegionTree
{
    /// <summary>
    /// One sorted run of regions (a leaf of the two-level tree). Start keys sit in their own array,
    /// parallel to the slots, so a binary search touches only key arrays.
    /// </summary>
    private sealed class Chunk
    {
        public byte[][] Keys = new byte[MaxChunk + 1][];
        public Slot[] Items = new Slot[MaxChunk + 1];
        public int Count;

        /// <summary>Index of the last region whose start key is ≤ <paramref name="key"/>, or -1.</summary>
        public int Floor(ReadOnlySpan<byte> key)
        {
            int lo = 0;
            int hi = Count - 1;
            int found = -1;
            var keys = Keys;
            while (lo <= hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (keys[mid].AsSpan().SequenceCompareTo(key) <= 0)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found;
        }

        public void InsertAt(int index, Slot slot)
        {
            Array.Copy(Keys, index, Keys, index + 1, Count - index);
            Array.Copy(Items, index, Items, index + 1, Count - index);
            Keys[index] = slot.Region.StartKey;
            Items[index] = slot;
            Count++;
        }

        public void RemoveAt(int index)
        {
            Count--;
            Array.Copy(Keys, index + 1, Keys, index, Count - index);
            Array.Copy(Items, index + 1, Items, index, Count - index);
            Keys[Count] = null!;
            Items[Count] = null!;
        }

        public Chunk SplitUpperHalf()
        {
            var upper = new Chunk();
            int keep = Count / 2;
            upper.Count = Count - keep;
            Array.Copy(Keys, keep, upper.Keys, 0, upper.Count);
            Array.Copy(Items, keep, upper.Items, 0, upper.Count);
            Array.Clear(Keys, keep, upper.Count);
            Array.Clear(Items, keep, upper.Count);
            Count = keep;
            return upper;
        }

        public void Append(Chunk other)
        {
            Array.Copy(other.Keys, 0, Keys, Count, other.Count);
            Array.Copy(other.Items, 0, Items, Count, other.Count);
            Count += other.Count;
        }
    }

    /// <summary>
    /// The tree's cell for one region. A heartbeat that keeps the range swaps the region in its
    /// slot, found by id, without a key search.
    /// </summary>
    private sealed class Slot(RegionInfo region)
    {
        public RegionInfo Region = region;
    }
}
