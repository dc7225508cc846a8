using System.Collections.Concurrent;
using System.Globalization;
using TinyKv.Actors.Invocation;

namespace TinyKv.Actors;

/// <summary>
/// Grain state in memory, shared by every silo given the same instance (a TestCluster shares one).
/// Values are stored serialized (the wire codec), so a grain never aliases the stored copy.
/// ETags are a per-record counter.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Data, bool IsNull, long Version)> _records = new();

    public int Count => _records.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = (T)ValueCodec.For(typeof(T)).Read(new Wire.Value { IsNull = record.IsNull, Data = Google.Protobuf.ByteString.CopyFrom(record.Data) })!;
            grainState.ETag = record.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Persistence.StateFactory.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var value = ValueCodec.For(typeof(T)).Write(grainState.State);
        var key = (stateName, grainId);
        long next;
        lock (_records)
        {
            long current = _records.TryGetValue(key, out var record) ? record.Version : 0;
            Check(stateName, grainId, grainState.ETag, current);
            next = current + 1;
            _records[key] = (value.Data.ToByteArray(), value.IsNull, next);
        }

        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        lock (_records)
        {
            long current = _records.TryGetValue(key, out var record) ? record.Version : 0;
            Check(stateName, grainId, grainState.ETag, current);
            _records.TryRemove(key, out _);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Persistence.StateFactory.CreateDefault<T>();
        return Task.CompletedTask;
    }

    private static void Check(string stateName, GrainId grainId, string? etag, long current)
    {
        string? stored = current == 0 ? null : current.ToString(CultureInfo.InvariantCulture);
        if (!string.Equals(etag, stored, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"State '{stateName}' of {grainId}: ETag {etag ?? "(none)"} does not match stored ETag {stored ?? "(none)"}.", stored, etag);
        }
    }
}
