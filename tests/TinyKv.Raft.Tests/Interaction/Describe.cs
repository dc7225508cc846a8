using System.Text;
using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft.Tests.Interaction;

/// <summary>The text forms of messages, entries and Readies in interaction traces.</summary>
internal static class Describe
{
    public static string EntryText(Entry e) => e.EntryType switch
    {
        EntryType.EntryConfChange => $"{e.Term}/{e.Index} EntryConfChange {ConfChangeText(ConfChange.Parser.ParseFrom(e.Data))}",
        _ => $"{e.Term}/{e.Index} EntryNormal \"{e.Data.ToStringUtf8()}\"",
    };

    public static string ConfChangeText(ConfChange cc) => cc.ChangeType switch
    {
        ConfChangeType.AddNode => $"v{cc.NodeId}",
        ConfChangeType.RemoveNode => $"r{cc.NodeId}",
        _ => $"l{cc.NodeId}",
    };

    public static string MessageText(Message m)
    {
        var sb = new StringBuilder();
        sb.Append(m.From).Append("->").Append(m.To).Append(' ').Append(m.MsgType)
            .Append(" Term:").Append(m.Term).Append(" Log:").Append(m.LogTerm).Append('/').Append(m.Index);
        if (m.Reject)
        {
            sb.Append(" Rejected (Hint: ").Append(m.RejectHint).Append(')');
        }

        if (m.Commit != 0)
        {
            sb.Append(" Commit:").Append(m.Commit);
        }

        if (m.Entries.Count > 0)
        {
            sb.Append(" Entries:[").Append(string.Join(", ", m.Entries.Select(EntryText))).Append(']');
        }

        if (m.Snapshot is { Metadata.Index: > 0 } s)
        {
            sb.Append(" Snapshot: Index:").Append(s.Metadata.Index).Append(" Term:").Append(s.Metadata.Term)
                .Append(" ConfState:").Append(ConfStateText(s.Metadata.ConfState));
        }

        if (!m.Context.IsEmpty)
        {
            sb.Append(" Context:").Append(m.Context.ToStringUtf8());
        }

        return sb.ToString();
    }

    public static string ConfStateText(ConfState cs) =>
        $"Voters:[{string.Join(" ", cs.Voters)}]" + (cs.Learners.Count > 0 ? $" Learners:[{string.Join(" ", cs.Learners)}]" : "");

    public static string ReadyText(Ready rd)
    {
        var sb = new StringBuilder();
        sb.Append("Ready MustSync=").Append(rd.MustSync ? "true" : "false").Append(":\n");
        if (rd.SoftState is { } soft)
        {
            sb.Append("Lead:").Append(soft.Lead).Append(" State:").Append(soft.RaftState).Append('\n');
        }

        if (!TinyKv.Raft.Ready.IsEmptyHardState(rd.HardState))
        {
            sb.Append("HardState Term:").Append(rd.HardState.Term).Append(" Vote:").Append(rd.HardState.Vote)
                .Append(" Commit:").Append(rd.HardState.Commit).Append('\n');
        }

        Section(sb, "Entries", rd.Entries.Select(EntryText));
        if (rd.Snapshot is { } snap)
        {
            sb.Append("Snapshot Index:").Append(snap.Metadata.Index).Append(" Term:").Append(snap.Metadata.Term)
                .Append(" ConfState:").Append(ConfStateText(snap.Metadata.ConfState)).Append('\n');
        }

        Section(sb, "CommittedEntries", rd.CommittedEntries.Select(EntryText));
        Section(sb, "Messages", rd.Messages.Select(MessageText));
        Section(sb, "ReadStates", rd.ReadStates.Select(r => $"Index:{r.Index} Context:{r.RequestCtx.ToStringUtf8()}"));
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string name, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        sb.Append(name).Append(":\n");
        foreach (string l in list)
        {
            sb.Append(l).Append('\n');
        }
    }
}
