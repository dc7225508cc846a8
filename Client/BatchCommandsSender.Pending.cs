using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

internal sealed partial class BatchCommandsSender
{
    /// <summary>
    /// A queued command and its caller's completion, one object per command. Its answer is set first
    /// and completes the caller when the sender runs it: on the thread pool (<see cref="Execute"/> as a
    /// work item), or in line for a lone caller. A cancelled caller is released on the thread pool too,
    /// never inside the canceller's <c>Cancel</c>.
    /// </summary>
    private sealed class Pending : TaskCompletionSource<RawCommandResponse>, IThreadPoolWorkItem
    {
        private readonly BatchCommandsSender _sender;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenRegistration _cancellation;
        private int _attempt;
        private TimeSpan _backoff;

        public Pending(BatchCommandsSender sender, RawCommand command, int size, CancellationToken cancellationToken)
        {
            _sender = sender;
            _backoff = sender._initialBackoff;
            _cancellationToken = cancellationToken;
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

        /// <summary>
        /// Completes the caller with the answer, the error answer as <see cref="TinyKvException"/> or a
        /// lasting failure, or re-queues the command after a transient one (a cancelled caller stays cancelled).
        /// </summary>
        public void Execute()
        {
            if (Failure is { } failure)
            {
                Failure = null;
                if (TinyKvClient.IsTransient(failure))
                {
                    _ = RetryAsync(failure);
                    return;
                }

                _cancellation.Unregister();
                TrySetException(failure);
                return;
            }

            _cancellation.Unregister();
            var response = Response!;
            if (ErrorOf(response) is { Code: not ErrorCode.None } error)
            {
                TrySetException(new TinyKvException(error.Code, error.Message));
            }
            else
            {
                TrySetResult(response);
            }
        }

        private static Error? ErrorOf(RawCommandResponse response) => response.CmdCase switch
        {
            RawCommandResponse.CmdOneofCase.Get => response.Get.Error,
            RawCommandResponse.CmdOneofCase.Put => response.Put.Error,
            _ => response.Delete.Error,
        };

        /// <summary>Waits the backoff, then sends the command again, unless the caller was cancelled meanwhile or the retries are spent.</summary>
        private async Task RetryAsync(Exception failure)
        {
            try
            {
                _backoff = await _sender._backOff(_attempt, _backoff, failure, _cancellationToken);
            }
            catch (Exception e)
            {
                _cancellation.Unregister();
                if (e is OperationCanceledException && _cancellationToken.IsCancellationRequested)
                {
                    TrySetCanceled(_cancellationToken);
                }
                else
                {
                    TrySetException(e);
                }

                return;
            }

            _attempt++;
            if (!Task.IsCompleted)
            {
                _sender.Enqueue(this);
            }
        }
    }
}
