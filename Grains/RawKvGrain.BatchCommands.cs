using System.Runtime.InteropServices;
using Google.Protobuf;
using TinyKv.Actors;
using TinyKv.Grains.Interfaces.Kvrpcpb;
using TinyKv.Storage;

namespace TinyKv.Grains;

public sealed partial class RawKvGrain
{
    /// <summary>The answer to every valid put of a call: never changed, so one instance serves every call.</summary>
    private static readonly RawCommandResponse PutDone = new() { Put = new RawPutResponse() };

    /// <summary>The answer to every valid delete of a call, shared like <see cref="PutDone"/>.</summary>
    private static readonly RawCommandResponse DeleteDone = new() { Delete = new RawDeleteResponse() };

    /// <summary>
    /// Batch commands (TiKV's BatchCommands): each command is validated and answered on its own; the
    /// valid writes go into one engine write batch in request order, so a call of many puts costs one
    /// WAL record and one fsync, and every put of it is acknowledged when that batch is durable.
    /// Gets read one snapshot taken before the writes (they are concurrent with them). On an engine that
    /// copies what it keeps (<see cref="IKvCopyingWrites"/>), the batch takes the keys and values parsed
    /// out of the request as they are, without a second copy.
    /// </summary>
    public async Task<RawBatchCommandsResponse> RawBatchCommandsAsync(RawBatchCommandsRequest request)
    {
        if (RawKvErrors.CheckCount(request.Commands.Count) is { } tooMany)
        {
            return new RawBatchCommandsResponse { Error = tooMany };
        }

        var engine = HostedEngine();
        if (engine is null)
        {
            return new RawBatchCommandsResponse { Error = RawKvErrors.StoreNotReady(this.GetPrimaryKeyLong()) };
        }

        var response = new RawBatchCommandsResponse();
        var batch = new WriteBatch();
        bool uncopied = engine is IKvCopyingWrites;
        IKvSnapshot? snapshot = null;
        try
        {
            foreach (var command in request.Commands)
            {
                response.Responses.Add(command.CmdCase switch
                {
                    RawCommand.CmdOneofCase.Get => new RawCommandResponse { Get = Get(snapshot ??= engine.Snapshot(), command.Get) },
                    RawCommand.CmdOneofCase.Put => AddPut(batch, command.Put, uncopied) is { } error ? new RawCommandResponse { Put = new RawPutResponse { Error = error } } : PutDone,
                    RawCommand.CmdOneofCase.Delete => AddDelete(batch, command.Delete, uncopied) is { } error ? new RawCommandResponse { Delete = new RawDeleteResponse { Error = error } } : DeleteDone,
                    _ => new RawCommandResponse(),
                });
            }
        }
        catch (ObjectDisposedException)
        {
            return new RawBatchCommandsResponse { Error = RawKvErrors.StoreNotReady(store.StoreId) };
        }
        finally
        {
            snapshot?.Dispose();
        }

        if (!batch.IsEmpty && await WriteAsync(batch) is { } failed)
        {
            return new RawBatchCommandsResponse { Error = failed };
        }

        return response;
    }

    private static RawGetResponse Get(IKvSnapshot snapshot, RawGetRequest request)
    {
        if ((RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key)) is { } error)
        {
            return new RawGetResponse { Error = error };
        }

        byte[]? value = snapshot.Get(cf, request.Key.Span);
        return value is null ? new RawGetResponse { NotFound = true } : new RawGetResponse { Value = UnsafeByteOperations.UnsafeWrap(value) };
    }

    /// <summary>
    /// Appends a valid put to <paramref name="batch"/>, <paramref name="uncopied"/> when the engine lets
    /// the batch keep the request's own arrays; returns the error of an invalid one, which writes nothing.
    /// </summary>
    private static Error? AddPut(WriteBatch batch, RawPutRequest request, bool uncopied)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key) ?? RawKvErrors.CheckValue(request.Value);
        if (error is null)
        {
            if (uncopied && WholeArray(request.Key) is { } key && WholeArray(request.Value) is { } value)
            {
                batch.PutUncopied(cf, key, value);
            }
            else
            {
                batch.Put(cf, request.Key.Span, request.Value.Span);
            }
        }

        return error;
    }

    private static Error? AddDelete(WriteBatch batch, RawDeleteRequest request, bool uncopied)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key);
        if (error is null)
        {
            if (uncopied && WholeArray(request.Key) is { } key)
            {
                batch.DeleteUncopied(cf, key);
            }
            else
            {
                batch.Delete(cf, request.Key.Span);
            }
        }

        return error;
    }

    /// <summary>
    /// The array behind <paramref name="bytes"/> when the string spans all of it, as a field parsed out
    /// of a message does (protobuf gives each its own array, and a ByteString never changes); else null.
    /// </summary>
    private static byte[]? WholeArray(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : null;
}
