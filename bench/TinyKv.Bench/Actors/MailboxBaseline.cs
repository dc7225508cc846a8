using System.Threading.Channels;

namespace TinyKv.Bench.Actors;

/// <summary>
/// The baseline: the same work as <see cref="BenchGrain"/> behind a hand-written actor, a
/// single-reader Channel mailbox drained by one loop, answering through a TaskCompletionSource
/// (continuations asynchronous, as the runtime's are).
/// </summary>
internal sealed class MailboxBaseline : IAsyncDisposable
{
    private readonly Channel<Request> _mailbox = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private int _total;

    public MailboxBaseline()
    {
        _loop = Task.Run(RunAsync);
    }

    public Task<int> AddAsync(int value)
    {
        var request = new Request(value);
        _mailbox.Writer.TryWrite(request);
        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _mailbox.Writer.Complete();
#pragma warning disable VSTHRD003 // The loop was started by this object's constructor; no main thread exists here.
        await _loop;
#pragma warning restore VSTHRD003
    }

    private async Task RunAsync()
    {
        await foreach (var request in _mailbox.Reader.ReadAllAsync())
        {
            request.TrySetResult(_total += request.Value);
        }
    }

    private sealed class Request(int value) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Value { get; } = value;
    }
}
