using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TinyKv.Storage.Index;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "KV engine recovered {Batches} batches and {CheckpointPairs} checkpoint pairs up to sequence {Sequence} in {ElapsedMs} ms")]
    private static partial void LogRecovered(ILogger logger, long batches, long checkpointPairs, ulong sequence, long elapsedMs);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning,
        Message = "KV engine ignored an unfinished checkpoint at sequence {Sequence} (the process stopped while writing it)")]
    private static partial void LogCheckpointAbandoned(ILogger logger, ulong sequence);

    /// <summary>
    /// Replays the WAL into the engine: batches in sequence order, and checkpoints, which are
    /// built aside and replace the state only once their end record is read. A batch whose
    /// sequence does not follow the last one ends the valid prefix.
    /// </summary>
    /// <remarks>
    /// No snapshot exists while the log replays, so replay trims overwritten versions as it goes
    /// (every <see cref="ReclaimEvery"/> queued keys) rather than holding them all until the first write.
    /// </remarks>
    private sealed class Recovery(FasterKvEngine engine)
    {
        private const int ReclaimEvery = 4096;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private (IOrderedIndex[] Cfs, FasterValueStore Values, ulong Sequence)? _beforeCheckpoint;
        private ulong _checkpointSequence;
        private long _batches;
        private long _pairs;
        private bool _any;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Visit(ReadOnlySpan<byte> payload)
        {
            var reader = new RecordReader(payload);
            var kind = (WalRecordKind)reader.ReadByte();
            bool accepted = kind switch
            {
                WalRecordKind.Batch => VisitBatch(ref reader),
                WalRecordKind.CheckpointBegin => VisitCheckpointBegin(reader.ReadUInt64()),
                WalRecordKind.CheckpointData => VisitCheckpointData(ref reader),
                WalRecordKind.CheckpointEnd => VisitCheckpointEnd(reader.ReadUInt64()),
                _ => throw new InvalidDataException($"unknown WAL record kind {(byte)kind}"),
            };
            _any |= accepted;
            return accepted;
        }

        public void Finish()
        {
            AbandonCheckpoint();
            foreach (var index in engine._cfs)
            {
                index.EndBulkLoad();
            }

            LogRecovered(engine._logger, _batches, _pairs, engine._lastSequence, _clock.ElapsedMilliseconds);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool VisitBatch(ref RecordReader reader)
        {
            AbandonCheckpoint();
            ulong sequence = reader.ReadUInt64();
            if (_any && sequence != engine._lastSequence + 1)
            {
                return false;
            }

            ulong count = reader.ReadVarint();
            for (ulong i = 0; i < count; i++)
            {
                var kind = (WriteOpKind)reader.ReadByte();
                var cf = ReadCf(ref reader);
                var key = reader.ReadBytes();
                var value = reader.ReadBytes();
                engine.ApplyOp(sequence, kind, cf, key, value);
            }

            engine._lastSequence = sequence;
            _batches++;
            if (engine._reclaimQueue.Count >= ReclaimEvery)
            {
                engine.Reclaim();
            }

            return true;
        }

        private bool VisitCheckpointBegin(ulong sequence)
        {
            AbandonCheckpoint();
            if (_any && sequence != engine._lastSequence)
            {
                return false;
            }

            _beforeCheckpoint = (engine._cfs, engine._values, engine._lastSequence);
            _checkpointSequence = sequence;
            engine._cfs = NewReplayIndexes();
            engine._values = engine.NewValueStore();
            engine._reclaimQueue.Clear();
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool VisitCheckpointData(ref RecordReader reader)
        {
            if (_beforeCheckpoint is null)
            {
                return false;
            }

            while (!reader.IsEmpty)
            {
                var cf = ReadCf(ref reader);
                var key = reader.ReadBytes();
                var value = reader.ReadBytes();
                engine.ApplyOp(_checkpointSequence, WriteOpKind.Put, cf, key, value);
                _pairs++;
            }

            return true;
        }

        private bool VisitCheckpointEnd(ulong sequence)
        {
            if (_beforeCheckpoint is not { } before || sequence != _checkpointSequence)
            {
                return false;
            }

            before.Values.Dispose();
            _beforeCheckpoint = null;
            engine._lastSequence = sequence;
            return true;
        }

        /// <summary>Drops a checkpoint whose end was never written and restores the state before it.</summary>
        private void AbandonCheckpoint()
        {
            if (_beforeCheckpoint is not { } before)
            {
                return;
            }

            LogCheckpointAbandoned(engine._logger, _checkpointSequence);
            engine._values.Dispose();
            engine._cfs = before.Cfs;
            engine._values = before.Values;
            engine._lastSequence = before.Sequence;
            engine._reclaimQueue.Clear();
            _beforeCheckpoint = null;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ColumnFamily ReadCf(ref RecordReader reader)
        {
            var cf = (ColumnFamily)reader.ReadByte();
            return (uint)cf <= (uint)ColumnFamily.Meta ? cf : throw new InvalidDataException($"unknown column family {(byte)cf} in the WAL");
        }
    }
}
