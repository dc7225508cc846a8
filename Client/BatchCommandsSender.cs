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

            // The callers of a call of several commands continue on the thread pool and mostly issue
            // their next command at once. Yielding queues this loop behind them, so their commands
            // gather into one next call instead of the first of them taking the free slot alone.
            if (batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: true);
                }

                await Task.Yield();
            }

            List<Pending>? next = null;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                }
                else
                {
                    next = TakeBatch();
                }
            }

            if (batch.Count == 1)
            {
                // A lone caller continues on this thread, saving a hop, but only once the loop has
                // given up its slot: a caller that then blocks on a new command has that command sent
                // by a loop of its own, never by the one it blocks.
                if (next is null)
                {
                    batch[0].Execute();
                    return;
                }

                ThreadPool.UnsafeQueueUserWorkItem(batch[0], preferLocal: true);
            }

            if (next is null)
            {
                return;
            }

            batch = next;
        }
    }

    /// <summary>Sends <paramref name="batch"/> as one call and gives each command its answer, which completes none yet.</summary>
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
                pending.Failure = e;
            }

            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Response = response.Error is { } error ? Refused(batch[i].Command, error) : Answer(response, i, batch[i].Command);
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
    /// A queued command and its caller's completion, one object per command. Its answer is set first
    /// and completes the caller when the sender runs it: on the thread pool (<see cref="Execute"/> as a
    /// work item), or in line for a lone caller. A cancelled caller is released on the thread pool too,
    /// never inside the canceller's <c>Cancel</c>.
    /// </summary>
    private sealed class Pending : TaskCompletionSource<RawCommandResponse>, IThreadPoolWorkItem
    {
        private readonly CancellationTokenRegistration _cancellation;

        public Pending(RawCommand command, int size, CancellationToken cancellationToken)
        {
            Command = command;
            Size = size;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(
                    static (state, token) => ThreadPool.UnsafeQueueUserWorkItem(static s => s.Pending.TrySetCanceled(s.Token), (Pending: (Pending)state!, Token: token), preferLocal: false),
                    this);
            }
        }

        public RawCommand Command { get; }

        public int Size { get; }

        /// <summary>The command's answer, set before <see cref="Execute"/>.</summary>
        public RawCommandResponse? Response { get; set; }

        /// <summary>The call's transport failure, set instead of <see cref="Response"/>.</summary>
        public Exception? Failure { get; set; }

        /// <summary>Completes the caller with the answer or the failure (a cancelled caller stays cancelled).</summary>
        public void Execute()
        {
            _cancellation.Unregister();
            if (Failure is { } failure)
            {
                TrySetException(failure);
            }
            else
            {
                TrySetResult(Response!);
            }
        }
    }
}
