using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Log;

namespace TinyKv.Raft.Tests;

/// <summary>Copies of a <see cref="RaftLog"/>'s entry views, for assertions (the core fills caller-owned lists).</summary>
internal static class RaftLogSnapshots
{
    public static List<Entry> UnstableEntries(this RaftLog log)
    {
        var entries = new List<Entry>();
        log.UnstableEntries(entries);
        return entries;
    }

    public static List<Entry> NextEntries(this RaftLog log)
    {
        var entries = new List<Entry>();
        log.NextEntries(entries);
        return entries;
    }
}
