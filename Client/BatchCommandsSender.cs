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
/// Each command is answered on its own: its task completes with its response, fails with
/// <see cref="TinyKvException"/> for an error answer, and is re-queued after <see cref="BackOff"/> when
/// its call failed in transport (each command of a lost call retries on its own), so the batching is
/// invisible to the retry policy. The caller's task is the command's own, with no async layer above it.
/// </remarks>
internal sealed partial class BatchCommandsSender(IRawKvGrain store, int maxInFlight, BatchCommandsSender.BackOff backOff, TimeSpan initialBackoff)
{
    /// <summary>Bytes of keys and values one call carries at most (a lone larger command goes alone), well under the 4 MiB frame.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    /// <summary>
    /// After the transient <paramref name="failure"/> of attempt <paramref name="attempt"/>: throws once
    /// the retries are spent, else waits a jittered <paramref name="backoff"/> and returns the next one.
    /// </summary>
    public delegate Task<TimeSpan> BackOff(int attempt, TimeSpan backoff, Exception failure, CancellationToken cancellationToken);

    private readonly BackOff _backOff = backOff;
    private readonly TimeSpan _initialBackoff = initialBackoff;
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    /// <summary>
    /// Queues <paramref name="command"/> (of <paramref name="size"/> key and value bytes); completes with
    /// its own response, which is no error answer. Cancelling ends the wait at once; a command already
    /// queued is still sent.
    /// </summary>
    public Task<RawCommandResponse> SendAsync(RawCommand command, int size, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<RawCommandResponse>(cancellationToken);
        }

        var pending = new Pending(this, command, size, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    /// <summary>Queues <paramref name="pending"/>, and sends it at once when a call slot is free.</summary>
    private void Enqueue(Pending pending)
    {
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
    }

    /// <summary>Sends <paramref name="batch"/>, then whatever gathered meanwhile, until nothing waits. Holds one in-flight slot.</summary>
    private async Task SendLoopAsync(List<Pending> batch)
    {
        while (true)
        {
            await SendBatchAsync(batch);

            // The callers of a call of several commands continue on the thread pool and mostly issue
            // their next command at once. Yielding queues this loop behind them, so their commands
            // gather into one next call instead of the first of them taking the free slot alone. Both
            // go on the global queue, which workers take in order: on this thread's local queue the
            // callers waited while an idle worker took the yield from the global queue first, and a
            // quarter of the calls at 64 in flight left with fewer than 32 commands.
            if (batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: false);
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
}
