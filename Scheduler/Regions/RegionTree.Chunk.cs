using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Regions;

public sealed partial class RegionTree
{
    /// <summary>One sorted run of regions (a leaf of the two-level tree).</summary>
    private sealed class Chunk
    {
        public RegionInfo[] Items = new RegionInfo[MaxChunk + 1];
        public int Count;

        /// <summary>Index of the last region whose start key is ≤ <paramref name="key"/>, or -1.</summary>
        public int Floor(ReadOnlySpan<byte> key)
        {
            int lo = 0;
            int hi = Count - 1;
            int found = -1;
            var items = Items;
            while (lo <= hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (items[mid].StartKey.AsSpan().SequenceCompareTo(key) <= 0)
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

        public void InsertAt(int index, RegionInfo region)
        {
            Array.Copy(Items, index, Items, index + 1, Count - index);
            Items[index] = region;
            Count++;
        }

        public void RemoveAt(int index)
        {
            Count--;
            Array.Copy(Items, index + 1, Items, index, Count - index);
            Items[Count] = null!;
        }

        public Chunk SplitUpperHalf()
        {
            var upper = new Chunk();
            int keep = Count / 2;
            upper.Count = Count - keep;
            Array.Copy(Items, keep, upper.Items, 0, upper.Count);
            Array.Clear(Items, keep, upper.Count);
            Count = keep;
            return upper;
        }

        public void Append(Chunk other)
        {
            Array.Copy(other.Items, 0, Items, Count, other.Count);
            Count += other.Count;
        }
    }
}
