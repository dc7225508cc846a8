using TinyKv.Storage.Index;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Index;

/// <summary>
/// The lookup table under a replay's key estimate: whether the estimate is right, far too high or
/// too low, every key added is found, removed keys are not, and trimming after the replay keeps
/// the answers.
/// </summary>
public sealed class EntryTableTests
{
    public static TheoryData<int, int, int> Cases => new()
    {
        { 0, 5_000, 1 },
        { 5_000, 5_000, 2 },
        { 1 << 20, 3_000, 3 },
        { 1_000, 40_000, 4 },
        { 50_000, 40_000, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_key_is_found_whatever_the_estimate(int expectedKeys, int keys, int seed)
    {
        var random = new Random(seed);
        var table = new EntryTable();
        table.ExpectKeys(expectedKeys);
        var entries = new List<MvccEntry>(keys);
        var removed = new HashSet<MvccEntry>();
        for (int i = 0; i < keys; i++)
        {
            var entry = MvccEntry.Inline(BitConverter.GetBytes(i), 1, [(byte)i]);
            table.Add(entry);
            entries.Add(entry);
            if (random.Next(8) == 0)
            {
                var victim = entries[random.Next(entries.Count)];
                if (removed.Add(victim))
                {
                    table.Remove(victim);
                }
            }
        }

        Check(table, entries, removed, TestSeed.Replay(seed));
        table.TrimExcess();
        Check(table, entries, removed, $"{TestSeed.Replay(seed)}, after trim");
        table.Add(MvccEntry.Inline(BitConverter.GetBytes(keys), 1, []));
        Assert.NotNull(table.Find(BitConverter.GetBytes(keys)));
    }

    private static void Check(EntryTable table, List<MvccEntry> entries, HashSet<MvccEntry> removed, string context)
    {
        foreach (var entry in entries)
        {
            var found = table.Find(entry.Key);
            Assert.True(removed.Contains(entry) ? found is null : ReferenceEquals(found, entry), context);
        }
    }
}
