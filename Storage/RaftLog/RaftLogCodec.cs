using TinyKv.Storage.Wal;

namespace TinyKv.Storage.RaftLog;

/// <summary>
/// Record payloads of the raft-log engine's log (Storage/README.md, "On-disk format"). First byte
/// is the record kind: 1 batch (u64 sequence, varint op count, ops), 2 rewrite begin (u64
/// sequence), 3 rewrite data (ops until the end of the payload), 4 rewrite end (u64 sequence).
/// An op is: kind, varint region, then for Append varint count and per entry varint index,
/// varint term, data bytes; for SetState varint term, vote, commit; for Compact varint index.
/// </summary>
internal static class RaftLogCodec
{
    public const byte Batch = 1;
    public const byte RewriteBegin = 2;
    public const byte RewriteData = 3;
    public const byte RewriteEnd = 4;

    public static void WriteOp(RecordBuffer buffer, in RaftLogOp op)
    {
        buffer.WriteByte((byte)op.Kind);
        buffer.WriteVarint(op.RegionId);
        switch (op.Kind)
        {
            case RaftLogOpKind.Append:
                WriteEntries(buffer, op.Entries);
                break;
            case RaftLogOpKind.SetState:
                buffer.WriteVarint(op.State.Term);
                buffer.WriteVarint(op.State.Vote);
                buffer.WriteVarint(op.State.Commit);
                break;
            case RaftLogOpKind.Compact:
                buffer.WriteVarint(op.Index);
                break;
        }
    }

    public static void WriteEntries(RecordBuffer buffer, IReadOnlyList<RaftEntry> entries)
    {
        buffer.WriteVarint((ulong)entries.Count);
        foreach (var e in entries)
        {
            buffer.WriteVarint(e.Index);
            buffer.WriteVarint(e.Term);
            buffer.WriteBytes(e.Data);
        }
    }

    public static RaftLogOp ReadOp(ref RecordReader reader)
    {
        var kind = (RaftLogOpKind)reader.ReadByte();
        ulong region = reader.ReadVarint();
        switch (kind)
        {
            case RaftLogOpKind.Append:
                int count = checked((int)reader.ReadVarint());
                var entries = new RaftEntry[count];
                for (int i = 0; i < count; i++)
                {
                    ulong index = reader.ReadVarint();
                    ulong term = reader.ReadVarint();
                    entries[i] = new RaftEntry(index, term, reader.ReadBytes().ToArray());
                }

                return new RaftLogOp(kind, region, entries, default, 0);
            case RaftLogOpKind.SetState:
                return new RaftLogOp(kind, region, [], new RaftState(reader.ReadVarint(), reader.ReadVarint(), reader.ReadVarint()), 0);
            case RaftLogOpKind.Compact:
                return new RaftLogOp(kind, region, [], default, reader.ReadVarint());
            case RaftLogOpKind.Clean:
                return new RaftLogOp(kind, region, [], default, 0);
            default:
                throw new InvalidDataException($"unknown raft log op kind {(byte)kind}");
        }
    }
}
