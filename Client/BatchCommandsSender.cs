using TinyKv.Grains.Interfaces;
using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

/// <summary>
/// Coalesces concurrent commands to one store into <see cref="IRawKvGrain.RawBatchCommandsAsync"/>
/// calls (TiKV client-go's batch commands). A command is sent at once while fewer than
/// <see cref="TinyKvClientOptions.MaxBatchesInFlight"/> calls are outstanding; otherwise it waits, and
/// the next call to go takes every command waiting (up to <see cref="RawKvLimits.MaxBatchCount"/>
/// commands and <see cref="MaxBatchBytes"/>). A lone caller therefore pays no wait, and under load
/// one round trip and one store write batch serve many callers.
/// </summary>
/// <remarks>
/// Each command is answered on its own. A transport failure of a call fails each of its commands
/// with that exception, and each caller retries its own command (<see cref="TinyKvClient"/>'s
/// retry loop), so the batching is invisible to the retry policy.
/// </remarks>
internal sealed class BatchCommandsSender(IRawKvGrain store, int maxInFlight)
{
    /// <summary>Bytes of keys and values one call carries at most (a lone larger command goes alone), well under the 4 MiB frame.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    /// <summary>
    /// Queues <paramref name="command"/> (of <paramref name="size"/> key and value bytes); completes with
    /// its own response. Cancelling ends the wait at once; a command already queued is still sent.
    /// </summary>
    public Task<RawCommandResponse> SendAsync(RawCommand command, int size, CancellationToken cancellationToken)
    {
        var pending = new Pending(command, size, cancellationToken);
        List<Pending>? batch = null;
        lock (_gate)
        {
            _waiting.Enqueue(pending);
            if (_inFlight < maxInFlight)
            {
                _inFlight++;
                batch = TakeBatch();
            }
        }

        if (batch is not null)
        {
            _ = SendLoopAsync(batch);
        }

        return pending.Task;
    }

    /// <summary>Sends <paramref name="batch"/>, then whatever gathered meanwhile, until nothing waits. Holds one in-flight slot.</summary>
    private async Task SendLoopAsync(List<Pending> batch)
    {
        while (true)
        {
            await SendBatchAsync(batch);

            // The callers just answered continue on the thread pool and mostly issue their next
            // command at once. After a call of several commands (concurrent callers), yielding queues
            // this loop behind them, so their commands gather into one next call instead of the first
            // of them taking the free slot alone. A lone caller is not made to wait for that.
            if (batch.Count > 1)
            {
                await Task.Yield();
            }

            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                batch = TakeBatch();
            }
        }
    }

    private async Task SendBatchAsync(List<Pending> batch)
    {
        var request = new RawBatchCommandsRequest();
        foreach (var pending in batch)
        {
            request.Commands.Add(pending.Command);
        }

        RawBatchCommandsResponse response;
        try
        {
            response = await store.RawBatchCommandsAsync(request);
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }

            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(response.Error is { } error ? Refused(batch[i].Command, error) : Answer(response, i, batch[i].Command));
        }
    }

    /// <summary>The answer to command <paramref name="index"/>; a store that did not understand it answers nothing for it.</summary>
    private static RawCommandResponse Answer(RawBatchCommandsResponse response, int index, RawCommand command) =>
        index < response.Responses.Count && response.Responses[index].CmdCase == (RawCommandResponse.CmdOneofCase)(int)command.CmdCase
            ? response.Responses[index]
            : Refused(command, new Error { Code = ErrorCode.InvalidArgument, Message = $"the store did not answer the {command.CmdCase} command" });

    /// <summary>A whole-call refusal as the command's own response.</summary>
    private static RawCommandResponse Refused(RawCommand command, Error error) => command.CmdCase switch
    {
        RawCommand.CmdOneofCase.Get => new RawCommandResponse { Get = new RawGetResponse { Error = error } },
        RawCommand.CmdOneofCase.Put => new RawCommandResponse { Put = new RawPutResponse { Error = error } },
        _ => new RawCommandResponse { Delete = new RawDeleteResponse { Error = error } },
    };

    /// <summary>The waiting commands one call takes: at least one, then up to the count and byte limits. Caller holds the gate.</summary>
    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>(Math.Min(_waiting.Count, RawKvLimits.MaxBatchCount));
        long bytes = 0;
        while (_waiting.TryPeek(out var next) && batch.Count < RawKvLimits.MaxBatchCount && (batch.Count == 0 || bytes + next.Size <= MaxBatchBytes))
        {
            batch.Add(_waiting.Dequeue());
            bytes += next.Size;
        }

        return batch;
    }

    /// <summary>
    /// A queued command and its caller's completion, one object per command. Continuations run on the
    /// thread pool, never on the thread that received the batch's answer: a caller that blocks after
    /// its await then delays no other caller.
    /// </summary>
    private sealed class Pending : TaskCompletionSource<RawCommandResponse>
    {
        private readonly CancellationTokenRegistration _cancellation;

        public Pending(RawCommand command, int size, CancellationToken cancellationToken)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Command = command;
            Size = size;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Pending)state!).TrySetCanceled(token), this);
            }
        }

        public RawCommand Command { get; }

        public int Size { get; }

        public void Complete(RawCommandResponse response)
        {
            _cancellation.Unregister();
            TrySetResult(response);
        }

        public void Fail(Exception exception)
        {
            _cancellation.Unregister();
            TrySetException(exception);
        }
    }
}
