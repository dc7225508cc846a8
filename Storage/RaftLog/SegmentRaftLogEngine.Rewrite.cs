namespace TinyKv.Storage.RaftLog;

public sealed partial class SegmentRaftLogEngine
{
    private const int RewriteRecordBytes = 1 << 20;

    /// <summary>Whether the log outgrew its rewrite threshold (and twice the last rewrite).</summary>
    private bool RewriteDue() => _log.TotalBytes >= Math.Max(_options.RewriteBytes, 2 * _bytesAfterRewrite);

    /// <summary>Rewrites once the log outgrows <see cref="RaftLogEngineOptions.RewriteBytes"/> and twice the last rewrite.</summary>
    private void RewriteIfDue()
    {
        if (RewriteDue())
        {
            Rewrite();
        }
    }

    /// <summary>
    /// Writes every region's retained entries and state into a fresh segment, syncs, and deletes
    /// the older segments: the space of compacted prefixes and overwritten suffixes comes back. A
    /// crash before the end record is durable leaves the old segments, and recovery ignores the
    /// unfinished rewrite. Writer thread only.
    /// </summary>
    private void Rewrite()
    {
        _log.Roll();
        long firstSegment = _log.CurrentSegment;
        var buffer = _buffer;
        buffer.Clear();
        int record = buffer.BeginRecord();
        buffer.WriteByte(RaftLogCodec.RewriteBegin);
        buffer.WriteUInt64(_lastSequence);
        buffer.EndRecord(record);
        record = BeginData();
        _state.ForEach((region, log) =>
        {
            RaftLogCodec.WriteOp(buffer, new RaftLogOp(RaftLogOpKind.Compact, region, [], default, log.First));
            if (log.Count > 0)
            {
                RaftLogCodec.WriteOp(buffer, new RaftLogOp(RaftLogOpKind.Append, region, log.ToArray(), default, 0));
            }

            if (log.State is { } state)
            {
                RaftLogCodec.WriteOp(buffer, new RaftLogOp(RaftLogOpKind.SetState, region, [], state, 0));
            }

            if (buffer.Length >= RewriteRecordBytes)
            {
                buffer.EndRecord(record);
                _log.Append(buffer.WrittenSpan);
                buffer.Clear();
                record = BeginData();
            }
        });
        buffer.EndRecord(record);
        record = buffer.BeginRecord();
        buffer.WriteByte(RaftLogCodec.RewriteEnd);
        buffer.WriteUInt64(_lastSequence);
        buffer.EndRecord(record);
        _log.Append(buffer.WrittenSpan);
        _log.Sync();
        _log.DeleteSegmentsBefore(firstSegment);
        _bytesAfterRewrite = _log.TotalBytes;

        int BeginData()
        {
            int start = buffer.BeginRecord();
            buffer.WriteByte(RaftLogCodec.RewriteData);
            return start;
        }
    }
}
