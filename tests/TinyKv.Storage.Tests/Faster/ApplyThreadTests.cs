using TinyKv.Storage.Faster;

namespace TinyKv.Storage.Tests.Faster;

/// <summary>The apply thread runs each piece of work exactly once, on itself or taken back by the writer, and hands back its failure.</summary>
/// <remarks>
/// ApplyThread is synchronous by contract (the writer thread and its helper are dedicated threads),
/// so these tests hand off with blocking events; every wait is bounded, so a lost hand-off fails
/// the test instead of hanging the run.
/// </remarks>
public sealed class ApplyThreadTests
{
    private static readonly TimeSpan HandOff = TimeSpan.FromSeconds(30);

    [Fact]
    public void Every_work_runs_exactly_once_before_finish_returns()
    {
        using var thread = new ApplyThread("test-apply");
        int runs = 0;
        for (int i = 0; i < 1000; i++)
        {
            thread.Start(() => runs++);
            thread.Finish();
            Assert.Equal(i + 1, runs);
        }
    }

    [Fact]
    public void Work_taken_up_by_the_thread_is_waited_for()
    {
        using var thread = new ApplyThread("test-apply");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        bool done = false;
        thread.Start(() =>
        {
            started.Set();
            Assert.True(release.Wait(HandOff));
            done = true;
        });
        Assert.True(started.Wait(HandOff));

        Assert.Throws<InvalidOperationException>(() => thread.Start(() => { }));
        release.Set();
        thread.Finish();
        Assert.True(done);
    }

    [Fact]
    public void A_failure_is_rethrown_once_with_its_own_type()
    {
        using var thread = new ApplyThread("test-apply");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        thread.Start(() =>
        {
            started.Set();
            Assert.True(release.Wait(HandOff));
            throw new InvalidDataException("bad op");
        });
        Assert.True(started.Wait(HandOff));
        release.Set();

        Assert.Throws<InvalidDataException>(thread.Finish);
        thread.Start(() => { });
        thread.Finish();
    }
}
