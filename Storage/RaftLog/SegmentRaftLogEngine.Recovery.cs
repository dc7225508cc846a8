using System.Diagnostics;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.RaftLog;

public sealed partial class SegmentRaftLogEngine
{
    /// <summary>
    /// Replays the log: batches in sequence order, and rewrites, built aside and swapped in only
    /// once their end record is read. A batch out of sequence ends the valid prefix.
    /// </summary>
    private sealed class Recovery(SegmentRaftLogEngine engine)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private RaftLogState? _beforeRewrite;
        private ulong _rewriteSequence;
        private long _batches;
        private bool _any;

        public bool Visit(ReadOnlySpan<byte> payload)
        {
            var reader = new RecordReader(payload);
            byte kind = reader.ReadByte();
            bool accepted = kind switch
            {
                RaftLogCodec.Batch => VisitBatch(ref reader),
                RaftLogCodec.RewriteBegin => VisitRewriteBegin(reader.ReadUInt64()),
                RaftLogCodec.RewriteData => VisitRewriteData(ref reader),
                RaftLogCodec.RewriteEnd => VisitRewriteEnd(reader.ReadUInt64()),
                _ => throw new InvalidDataException($"unknown raft log record kind {kind}"),
            };
            _any |= accepted;
            return accepted;
        }

        public void Finish()
        {
            Abandon();
            LogRecovered(engine._options.Logger, _batches, engine._lastSequence, engine._state.Regions().Count, _clock.ElapsedMilliseconds);
        }

        private bool VisitBatch(ref RecordReader reader)
        {
            Abandon();
            ulong sequence = reader.ReadUInt64();
            if (_any && sequence != engine._lastSequence + 1)
            {
                return false;
            }

            ulong count = reader.ReadVarint();
            for (ulong i = 0; i < count; i++)
            {
                engine._state.Apply(RaftLogCodec.ReadOp(ref reader));
            }

            engine._lastSequence = sequence;
            _batches++;
            return true;
        }

        private bool VisitRewriteBegin(ulong sequence)
        {
            Abandon();
            if (_any && sequence != engine._lastSequence)
            {
                return false;
            }

            _beforeRewrite = engine._state;
            _rewriteSequence = sequence;
            engine._state = new RaftLogState();
            return true;
        }

        private bool VisitRewriteData(ref RecordReader reader)
        {
            if (_beforeRewrite is null)
            {
                return false;
            }

            while (!reader.IsEmpty)
            {
                engine._state.Apply(RaftLogCodec.ReadOp(ref reader));
            }

            return true;
        }

        private bool VisitRewriteEnd(ulong sequence)
        {
            if (_beforeRewrite is null || sequence != _rewriteSequence)
            {
                return false;
            }

            _beforeRewrite = null;
            engine._lastSequence = sequence;
            return true;
        }

        private void Abandon()
        {
            if (_beforeRewrite is null)
            {
                return;
            }

            LogRewriteAbandoned(engine._options.Logger, _rewriteSequence);
            engine._state = _beforeRewrite;
            _beforeRewrite = null;
        }
    }
}
