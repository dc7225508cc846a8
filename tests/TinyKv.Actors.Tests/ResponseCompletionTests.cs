using TinyKv.Actors.Invocation;
using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Tests;

public sealed class ResponseCompletionTests
{
    /// <summary>Bounds a wait that only a broken contract would exhaust.</summary>
    private static readonly TimeSpan HandOff = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_caller_never_continues_inside_the_answer(bool fromReadLoop)
    {
        var completion = new ResponseCompletion<int>();
        using var answered = new ManualResetEventSlim();
        var continued = completion.Task.ContinueWith(
            _ => answered.Wait(HandOff),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        if (fromReadLoop)
        {
            using (ReadLoopDispatch.Enter())
            {
                completion.SetResult(7);
            }
        }
        else
        {
            completion.SetResult(7);
        }

        answered.Set();
        Assert.True(await continued);
        Assert.Equal(7, await completion.Task);
    }

    [Fact]
    public async Task The_first_answer_wins()
    {
        var answeredFirst = new ResponseCompletion<int>();
        answeredFirst.SetResult(1);
        ((IResponseCompletion)answeredFirst).SetException(new TimeoutException("late"));

        var failedFirst = new ResponseCompletion<int>();
        ((IResponseCompletion)failedFirst).SetException(new TimeoutException("first"));
        failedFirst.SetResult(2);

        Assert.Equal(1, await answeredFirst.Task);
        Assert.Equal("first", (await Assert.ThrowsAsync<TimeoutException>(() => failedFirst.Task)).Message);
    }

    [Fact]
    public async Task A_value_of_another_type_claims_nothing()
    {
        var completion = new ResponseCompletion<int>();

        Assert.Throws<InvalidCastException>(() => completion.SetResult("seven"));
        completion.SetResult(7);

        Assert.Equal(7, await completion.Task);
    }

    [Fact]
    public void Only_a_read_loop_scope_queues_on_the_global_queue()
    {
        bool before = ReadLoopDispatch.PreferLocal;
        bool inside;
        using (ReadLoopDispatch.Enter())
        {
            inside = ReadLoopDispatch.PreferLocal;
        }

        Assert.Equal((true, false, true), (before, inside, ReadLoopDispatch.PreferLocal));
    }
}
