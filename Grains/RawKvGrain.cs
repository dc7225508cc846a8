using Google.Protobuf;
using TinyKv.Actors;
using TinyKv.Grains.Interfaces;
using TinyKv.Grains.Interfaces.Kvrpcpb;
using TinyKv.Storage;

namespace TinyKv.Grains;

/// <summary>
/// The raw KV API of the store this silo hosts (TinyKV project 1's StandAloneStorage server),
/// placed on that store's silo. Reentrant: requests interleave at their engine awaits, so
/// concurrent durable writes share the engine's group-committed fsync. Validation happens before
/// anything is written; a bad request changes nothing.
/// </summary>
[StorePlacement]
[Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class RawKvGrain(StoreEngine store) : Grain, IRawKvGrain
{
    public Task<RawGetResponse> RawGetAsync(RawGetRequest request)
    {
        return Task.FromResult(Read(
            engine =>
            {
                using var snapshot = engine.Snapshot();
                return Get(snapshot, request);
            },
            e => new RawGetResponse { Error = e }));
    }

    public async Task<RawPutResponse> RawPutAsync(RawPutRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key) ?? RawKvErrors.CheckValue(request.Value);
        if (error is not null)
        {
            return new RawPutResponse { Error = error };
        }

        var batch = new WriteBatch().Put(cf, request.Key.Span, request.Value.Span);
        return new RawPutResponse { Error = await WriteAsync(batch) };
    }

    public async Task<RawDeleteResponse> RawDeleteAsync(RawDeleteRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key);
        if (error is not null)
        {
            return new RawDeleteResponse { Error = error };
        }

        var batch = new WriteBatch().Delete(cf, request.Key.Span);
        return new RawDeleteResponse { Error = await WriteAsync(batch) };
    }

    public Task<RawScanResponse> RawScanAsync(RawScanRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.StartKey) ?? RawKvErrors.CheckKey(request.EndKey);
        if (error is not null)
        {
            return Task.FromResult(new RawScanResponse { Error = error });
        }

        int limit = request.Limit == 0 ? RawKvLimits.MaxScanLimit : (int)Math.Min(request.Limit, RawKvLimits.MaxScanLimit);
        return Task.FromResult(Read(
            engine =>
            {
                var response = new RawScanResponse();
                using var snapshot = engine.Snapshot();
                using var iterator = snapshot.NewIterator(cf, new IteratorOptions(UpperBound: request.EndKey.IsEmpty ? null : request.EndKey.ToByteArray()));
                for (iterator.Seek(request.StartKey.Span); iterator.Valid && response.Kvs.Count < limit; iterator.Next())
                {
                    response.Kvs.Add(new KvPair { Key = ByteString.CopyFrom(iterator.Key), Value = ByteString.CopyFrom(iterator.Value) });
                }

                return response;
            },
            e => new RawScanResponse { Error = e }));
    }

    public Task<RawBatchGetResponse> RawBatchGetAsync(RawBatchGetRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckCount(request.Keys.Count);
        foreach (var key in request.Keys)
        {
            error ??= RawKvErrors.CheckKey(key);
        }

        if (error is not null)
        {
            return Task.FromResult(new RawBatchGetResponse { Error = error });
        }

        return Task.FromResult(Read(
            engine =>
            {
                var response = new RawBatchGetResponse();
                using var snapshot = engine.Snapshot();
                foreach (var key in request.Keys)
                {
                    if (snapshot.Get(cf, key.Span) is { } value)
                    {
                        response.Pairs.Add(new KvPair { Key = key, Value = UnsafeByteOperations.UnsafeWrap(value) });
                    }
                }

                return response;
            },
            e => new RawBatchGetResponse { Error = e }));
    }

    public async Task<RawBatchPutResponse> RawBatchPutAsync(RawBatchPutRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckCount(request.Pairs.Count);
        foreach (var pair in request.Pairs)
        {
            error ??= RawKvErrors.CheckKey(pair.Key) ?? RawKvErrors.CheckValue(pair.Value);
        }

        if (error is not null)
        {
            return new RawBatchPutResponse { Error = error };
        }

        var batch = new WriteBatch();
        foreach (var pair in request.Pairs)
        {
            batch.Put(cf, pair.Key.Span, pair.Value.Span);
        }

        return new RawBatchPutResponse { Error = batch.IsEmpty ? null : await WriteAsync(batch) };
    }

    public Task<StoreStatusResponse> GetStatusAsync(StoreStatusRequest request)
    {
        var response = new StoreStatusResponse
        {
            StoreId = (ulong)store.StoreId,
            ClusterId = store.ClusterId,
            SyncPolicy = store.SyncPolicy.ToString(),
        };
        var engine = HostedEngine();
        if (engine is null)
        {
            response.Error = RawKvErrors.StoreNotReady(this.GetPrimaryKeyLong());
            return Task.FromResult(response);
        }

        try
        {
            response.UptimeSeconds = store.Uptime.TotalSeconds;
            response.LastSequence = store.LastSequence;
            response.ApproximateSize = engine.ApproximateSize([], []);
        }
        catch (ObjectDisposedException)
        {
            response.Error = RawKvErrors.StoreNotReady(store.StoreId);
        }

        return Task.FromResult(response);
    }

    /// <summary>The engine when this activation is the grain of the store this silo hosts and it is open.</summary>
    private IKvEngine? HostedEngine() => this.GetPrimaryKeyLong() == store.StoreId ? store.Engine : null;

    private T Read<T>(Func<IKvEngine, T> read, Func<Error, T> fail)
    {
        var engine = HostedEngine();
        if (engine is null)
        {
            return fail(RawKvErrors.StoreNotReady(this.GetPrimaryKeyLong()));
        }

        try
        {
            return read(engine);
        }
        catch (ObjectDisposedException)
        {
            return fail(RawKvErrors.StoreNotReady(store.StoreId));
        }
    }

    private async Task<Error?> WriteAsync(WriteBatch batch)
    {
        var engine = HostedEngine();
        if (engine is null)
        {
            return RawKvErrors.StoreNotReady(this.GetPrimaryKeyLong());
        }

        batch.Sync = store.SyncPolicy == SyncPolicy.Sync;
        try
        {
            await engine.WriteAsync(batch);
            return null;
        }
        catch (ObjectDisposedException)
        {
            return RawKvErrors.StoreNotReady(store.StoreId);
        }
    }
}
