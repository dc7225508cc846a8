namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    private const int CheckpointRecordBytes = 1 << 20;
    private long _walBytesAfterCheckpoint;

    private bool CheckpointDue => _wal.TotalBytes >= Math.Max(_options.CheckpointWalBytes, 2 * _walBytesAfterCheckpoint);

    /// <summary>Writes a checkpoint once the WAL outgrows its threshold (and twice the last checkpoint).</summary>
    private void CheckpointIfDue()
    {
        if (CheckpointDue)
        {
            WriteCheckpoint();
        }
    }

    /// <summary>
    /// Writes every live pair at the last sequence into a fresh segment, syncs it, and deletes the
    /// segments before it. A crash before the end record is durable leaves those segments in
    /// place, and recovery ignores the unfinished checkpoint. Writer thread only.
    /// </summary>
    private void WriteCheckpoint()
    {
        _wal.Roll();
        long firstSegment = _wal.CurrentSegment;
        ulong sequence = _lastSequence;
        var buffer = _walBuffer;
        buffer.Clear();
        int record = buffer.BeginRecord();
        buffer.WriteByte((byte)WalRecordKind.CheckpointBegin);
        buffer.WriteUInt64(sequence);
        buffer.EndRecord(record);

        record = BeginDataRecord();
        foreach (var cf in ColumnFamilies.All)
        {
            var index = Index(cf);
            for (var e = index.First(); e is not null; e = index.Next(e))
            {
                if (e.Head is not { IsTombstone: false } head)
                {
                    continue;
                }

                buffer.WriteByte((byte)cf);
                buffer.WriteBytes(e.Key);
                buffer.WriteBytes(ReadValue(head));
                if (buffer.Length >= CheckpointRecordBytes)
                {
                    buffer.EndRecord(record);
                    _wal.Append(buffer.WrittenSpan);
                    buffer.Clear();
                    record = BeginDataRecord();
                }
            }
        }

        buffer.EndRecord(record);
        record = buffer.BeginRecord();
        buffer.WriteByte((byte)WalRecordKind.CheckpointEnd);
        buffer.WriteUInt64(sequence);
        buffer.EndRecord(record);
        _wal.Append(buffer.WrittenSpan);
        _wal.Sync();
        _wal.DeleteSegmentsBefore(firstSegment);
        _walBytesAfterCheckpoint = _wal.TotalBytes;

        int BeginDataRecord()
        {
            int start = buffer.BeginRecord();
            buffer.WriteByte((byte)WalRecordKind.CheckpointData);
            return start;
        }
    }
}
