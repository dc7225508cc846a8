using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Index;

/// <summary>
/// A skip list (Pugh 1990) with one writer and lock-free readers, as in LevelDB's memtable: a node
/// is fully built before it is published bottom-up with release writes, so a reader sees either
/// the old list or the new node with valid links. Branching factor 4; expected height 1.33. The
/// nodes are the entries themselves (<see cref="MvccEntry"/>), with the first link inline.
/// An <see cref="EntryTable"/> beside it answers exact lookups (point gets) in O(1) instead of a
/// search that touches about 30 nodes, each a likely cache miss.
/// </summary>
/// <remarks>
/// Inserts in ascending key order (replaying a log of sequential keys, loading a checkpoint, which
/// is written in key order) skip the search: the writer keeps the predecessors of its last insert
/// (a finger), and a key that falls between that insert and its successor links there directly.
/// <para>
/// A bulk load (a replay, before any reader exists) defers the lookup table while every insert
/// comes after the last key: a key above the largest one is absent without a probe, and the table
/// is built once with the exact count (<see cref="EndBulkLoad"/>) instead of doubling through every
/// size below it. The first lookup of a key at or below the largest, or the first removal, builds
/// it early and the load goes on as usual. Replaying a checkpoint, which is written in key order
/// per column family, never needs it before the end.
/// </para>
/// </remarks>
internal sealed class SkipList : IOrderedIndex
{
    private const int MaxHeight = 20;
    private readonly MvccEntry _head = MvccEntry.Sentinel(MaxHeight);
    private EntryTable? _table;

    /// <summary>While the table is deferred (a bulk load of ascending keys): the entry with the largest key.</summary>
    private MvccEntry? _largest;

    /// <summary>The writer's search path: per level, the last node before the key being inserted.</summary>
    private readonly MvccEntry[] _preds = new MvccEntry[MaxHeight];
    private int _height = 1;
    private ulong _random = 0x9E3779B97F4A7C15;
    private int _count;

    /// <summary>
    /// Creates an empty index; with <paramref name="bulkLoad"/>, no reader may use it before
    /// <see cref="EndBulkLoad"/>, and ascending inserts until then defer the lookup table.
    /// </summary>
    public SkipList(bool bulkLoad = false)
    {
        if (!bulkLoad)
        {
            _table = new EntryTable();
        }
    }

    /// <summary>True while <see cref="_preds"/> is the search path of the last insert with that node at its levels (no removal since).</summary>
    private bool _fingerValid;

    public int Count => Volatile.Read(ref _count);

    /// <summary>False while a bulk load defers the lookup table (for tests).</summary>
    internal bool HasLookupTable => _table is not null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MvccEntry? Find(ReadOnlySpan<byte> key)
    {
        if (_table is { } table)
        {
            return table.Find(key);
        }

        if (_largest is null || KeyOrder.Compare(_largest.Key, key) < 0)
        {
            return null;
        }

        return BuildTable().Find(key);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(MvccEntry entry)
    {
        var key = entry.Key;
        var preds = _preds;
        if (!FingerFits(key))
        {
            FindGreaterOrEqual(key, preds);
        }

        int height = RandomHeight();
        int current = _height;
        for (int level = current; level < height; level++)
        {
            preds[level] = _head;
        }

        entry.SetHeight(height);
        for (int level = 0; level < height; level++)
        {
            entry.SetNext(level, preds[level].GetNext(level));
        }

        for (int level = 0; level < height; level++)
        {
            preds[level].SetNext(level, entry);
            preds[level] = entry;
        }

        if (height > current)
        {
            Volatile.Write(ref _height, height);
        }

        _fingerValid = true;
        if (_table is { } table)
        {
            table.Add(entry);
        }
        else if (_largest is null || KeyOrder.Compare(_largest.Key, key) < 0)
        {
            _largest = entry;
        }
        else
        {
            BuildTable();
        }

        Volatile.Write(ref _count, _count + 1);
    }

    public void EndBulkLoad()
    {
        if (_table is null)
        {
            BuildTable();
        }
    }

    public void Remove(MvccEntry entry)
    {
        (_table ?? BuildTable()).Remove(entry);
        _fingerValid = false;
        var preds = _preds;
        var found = FindGreaterOrEqual(entry.Key, preds);
        if (!ReferenceEquals(found, entry))
        {
            return;
        }

        for (int level = entry.Height - 1; level >= 0; level--)
        {
            if (ReferenceEquals(preds[level].GetNext(level), entry))
            {
                preds[level].SetNext(level, entry.GetNext(level));
            }
        }

        Volatile.Write(ref _count, _count - 1);
    }

    public MvccEntry? SeekGreaterOrEqual(ReadOnlySpan<byte> key) => FindGreaterOrEqual(key, null);

    public MvccEntry? SeekLessThan(ReadOnlySpan<byte> key)
    {
        var node = _head;
        for (int level = Volatile.Read(ref _height) - 1; level >= 0; level--)
        {
            while (node.GetNext(level) is { } next && KeyOrder.Compare(next.Key, key) < 0)
            {
                node = next;
            }
        }

        return ReferenceEquals(node, _head) ? null : node;
    }

    public MvccEntry? First() => _head.GetNext(0);

    public MvccEntry? Last()
    {
        var node = _head;
        for (int level = Volatile.Read(ref _height) - 1; level >= 0; level--)
        {
            while (node.GetNext(level) is { } next)
            {
                node = next;
            }
        }

        return ReferenceEquals(node, _head) ? null : node;
    }

    public MvccEntry? Next(MvccEntry entry) => entry.GetNext(0);

    /// <summary>
    /// True when <paramref name="key"/> goes right after the last insert: then the finger is its
    /// search path at every level, since a higher level's successor is never before the
    /// successor at level 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FingerFits(ReadOnlySpan<byte> key)
    {
        if (!_fingerValid)
        {
            return false;
        }

        var last = _preds[0];
        return KeyOrder.Compare(last.Key, key) < 0 && (last.GetNext(0) is not { } next || KeyOrder.Compare(key, next.Key) < 0);
    }

    /// <summary>First node ≥ key; fills <paramref name="preds"/> with the last node &lt; key per level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private MvccEntry? FindGreaterOrEqual(ReadOnlySpan<byte> key, Span<MvccEntry> preds)
    {
        var node = _head;
        MvccEntry? next = null;
        for (int level = Volatile.Read(ref _height) - 1; level >= 0; level--)
        {
            while ((next = node.GetNext(level)) is not null && KeyOrder.Compare(next.Key, key) < 0)
            {
                node = next;
            }

            if (!preds.IsEmpty)
            {
                preds[level] = node;
            }
        }

        return next;
    }

    /// <summary>Ends the deferral: one table sized for every entry, filled in key order. Writer only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EntryTable BuildTable()
    {
        var table = new EntryTable(_count + 1);
        var block = new MvccEntry[64];
        int filled = 0;
        for (var entry = _head.GetNext(0); entry is not null; entry = entry.GetNext(0))
        {
            block[filled++] = entry;
            if (filled == block.Length)
            {
                table.AddAll(block);
                filled = 0;
            }
        }

        table.AddAll(block.AsSpan(0, filled));

        _largest = null;
        _table = table;
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RandomHeight()
    {
        _random ^= _random << 13;
        _random ^= _random >> 7;
        _random ^= _random << 17;
        ulong bits = _random;
        int height = 1;
        while (height < MaxHeight && (bits & 3) == 0)
        {
            height++;
            bits >>= 2;
        }

        return height;
    }
}
