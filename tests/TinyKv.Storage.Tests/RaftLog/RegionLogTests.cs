using TinyKv.Storage.RaftLog;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.RaftLog;

/// <summary>
/// A region's chunked in-memory log against a plain list: long runs of appends, conflicting
/// suffixes and compactions that cross chunk boundaries, down to empty and past the end, keep
/// the same bounds, entries and byte count.
/// </summary>
public sealed class RegionLogTests
{
    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(10)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_chunked_log_matches_a_list(int seed)
    {
        var random = new Random(seed);
        var log = new RegionLog();
        var model = new List<RaftEntry>();
        ulong first = 1;
        for (int step = 0; step < 2_000; step++)
        {
            string context = $"{TestSeed.Replay(seed)}, step {step}";
            ulong last = first + (ulong)model.Count - 1;
            int choice = random.Next(10);
            if (choice < 6 || model.Count == 0)
            {
                ulong start = model.Count == 0 ? first + (ulong)random.Next(0, 3) : (ulong)random.NextInt64((long)(last + 1 - Math.Min((ulong)model.Count, 150)), (long)last + 2);
                var entries = Enumerable.Range(0, random.Next(1, 100)).Select(i => new RaftEntry(start + (ulong)i, (ulong)step, new byte[random.Next(0, 5)])).ToArray();
                log.Append(entries);
                if (model.Count == 0)
                {
                    first = start;
                }
                else
                {
                    model.RemoveRange((int)(start - first), model.Count - (int)(start - first));
                }

                model.AddRange(entries);
            }
            else
            {
                ulong to = (ulong)random.NextInt64((long)first, (long)last + 3);
                log.Compact(to);
                if (to > first)
                {
                    int drop = (int)Math.Min((ulong)model.Count, to - first);
                    model.RemoveRange(0, drop);
                    first = model.Count == 0 ? Math.Max(to, first + (ulong)drop) : first + (ulong)drop;
                }
            }

            Assert.True((first, model.Count) == (log.First, log.Count), $"{context}: bounds ({log.First}, {log.Count}), expected ({first}, {model.Count})");
            Assert.True(model.Sum(e => e.Size) == log.Bytes, $"{context}: bytes");
            Assert.True(model.SequenceEqual(log.ToArray()), $"{context}: entries");
            Assert.Null(log.Get(first - 1));
            Assert.Null(log.Get(first + (ulong)model.Count));
            if (model.Count > 0)
            {
                int probe = random.Next(model.Count);
                Assert.Equal(model[probe], log.Get(first + (ulong)probe));
            }
        }
    }
}
