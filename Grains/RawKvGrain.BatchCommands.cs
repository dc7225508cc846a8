using Google.Protobuf;
using TinyKv.Actors;
using TinyKv.Grains.Interfaces.Kvrpcpb;
using TinyKv.Storage;

namespace TinyKv.Grains;

public sealed partial class RawKvGrain
{
    /// <summary>
    /// Batch commands (TiKV's BatchCommands): each command is validated and answered on its own; the
    /// valid writes go into one engine write batch in request order, so a call of many puts costs one
    /// WAL record and one fsync, and every put of it is acknowledged when that batch is durable.
    /// Gets read one snapshot taken before the writes (they are concurrent with them).
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
        IKvSnapshot? snapshot = null;
        try
        {
            foreach (var command in request.Commands)
            {
                response.Responses.Add(command.CmdCase switch
                {
                    RawCommand.CmdOneofCase.Get => new RawCommandResponse { Get = Get(snapshot ??= engine.Snapshot(), command.Get) },
                    RawCommand.CmdOneofCase.Put => new RawCommandResponse { Put = new RawPutResponse { Error = AddPut(batch, command.Put) } },
                    RawCommand.CmdOneofCase.Delete => new RawCommandResponse { Delete = new RawDeleteResponse { Error = AddDelete(batch, command.Delete) } },
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

    /// <summary>Appends a valid put to <paramref name="batch"/>; returns the error of an invalid one, which writes nothing.</summary>
    private static Error? AddPut(WriteBatch batch, RawPutRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key) ?? RawKvErrors.CheckValue(request.Value);
        if (error is null)
        {
            batch.Put(cf, request.Key.Span, request.Value.Span);
        }

        return error;
    }

    private static Error? AddDelete(WriteBatch batch, RawDeleteRequest request)
    {
        var error = RawKvErrors.ParseCf(request.Cf, out var cf) ?? RawKvErrors.CheckKey(request.Key);
        if (error is null)
        {
            batch.Delete(cf, request.Key.Span);
        }

        return error;
    }
}
