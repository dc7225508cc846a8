using TinyKv.Storage.Wal;
using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Wal;

/// <summary>
/// The group-commit queue with inline leaders: an idle queue commits on the caller's thread, a busy
/// one queues for the writer thread, one commit token orders every commit and housekeeping, and a
/// failed commit stops every later write.
/// </summary>
/// <remarks>
/// A commit is synchronous by contract (it runs on the writer thread or blocks an inline leader),
/// so these tests gate commits with blocking events; every wait is bounded, so a lost hand-off
/// fails the test instead of hanging the run.
/// </remarks>
public sealed class GroupCommitQueueTests
{
    private static readonly TimeSpan HandOff = TimeSpan.FromSeconds(30);

    [Fact]
    public void An_idle_queue_commits_on_the_callers_thread_and_returns_a_completed_task()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();

        for (int i = 0; i < 5; i++)
        {
            var task = queue.EnqueueAsync(i);

            Assert.True(task.IsCompletedSuccessfully);
        }

        Assert.Equal([0, 1, 2, 3, 4], log.Items);
        Assert.All(log.Threads, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        Assert.Equal(5, queue.InlineCommits);
    }

    [Fact]
    public async Task A_write_arriving_during_an_inline_commit_waits_for_it_and_goes_to_the_writer_thread()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        log.Gate = item => item == 1 ? (entered, release) : default;

        var first = Task.Run(() => queue.EnqueueAsync(1));
        Assert.True(entered.Wait(HandOff));
        int leader = log.Threads.Single();
        var second = queue.EnqueueAsync(2);
        Assert.False(second.IsCompleted);

        release.Set();
        await first;
        await second;

        Assert.Equal([1, 2], log.Items);
        Assert.NotEqual(leader, log.Threads[1]);
        Assert.NotEqual(Environment.CurrentManagedThreadId, log.Threads[1]);
        Assert.Equal(1, queue.InlineCommits);
        Assert.Equal(1, log.MaxConcurrentCommits);
    }

    [Fact]
    public async Task After_a_group_of_many_the_next_write_queues_and_after_a_group_of_one_it_commits_inline()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        log.Gate = item => item == 0 ? (entered, release) : default;

        var leader = Task.Run(() => queue.EnqueueAsync(0));
        Assert.True(entered.Wait(HandOff));
        var queued = new[] { queue.EnqueueAsync(1), queue.EnqueueAsync(2), queue.EnqueueAsync(3) };
        release.Set();
        await leader;
        await Task.WhenAll(queued);
        Assert.Equal([1, 3], log.GroupSizes);

        await queue.EnqueueAsync(4);
        Assert.Equal([1, 3, 1], log.GroupSizes);
        Assert.NotEqual(Environment.CurrentManagedThreadId, log.Threads[^1]);

        Assert.True(SpinWait.SpinUntil(() => queue.IsIdle, HandOff));
        var inline = queue.EnqueueAsync(5);
        Assert.True(inline.IsCompletedSuccessfully);
        Assert.Equal(Environment.CurrentManagedThreadId, log.Threads[^1]);
        Assert.Equal([0, 1, 2, 3, 4, 5], log.Items);
    }

    [Fact]
    public async Task A_failed_inline_commit_fails_its_write_and_every_later_one()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();
        log.Fail = item => item == 1 ? new IOException("fdatasync failed") : null;

        await queue.EnqueueAsync(0);
        var failed = queue.EnqueueAsync(1);

        Assert.True(failed.IsFaulted);
        Assert.Equal("fdatasync failed", Assert.IsType<IOException>(failed.Exception!.InnerException).Message);
        var later = Assert.Throws<IOException>(() => { _ = queue.EnqueueAsync(2); });
        Assert.Equal("fdatasync failed", later.InnerException!.Message);
        Assert.Equal([0, 1], log.Items);
        Assert.Equal(0, log.AfterCommits);
    }

    [Fact]
    public async Task A_rejected_item_fails_alone_and_the_queue_goes_on()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();
        log.Reject = item => item == 1;

        await queue.EnqueueAsync(0);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(1));
        await queue.EnqueueAsync(2);

        Assert.Equal([0, 1, 2], log.Items);
    }

    [Fact]
    public async Task Housekeeping_an_inline_leader_finds_due_runs_on_the_writer_thread_before_any_later_commit()
    {
        var log = new CommitLog();
        using var queue = log.NewQueue();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        log.HousekeepingDue = true;
        log.AfterCommitGate = (entered, release);

        await queue.EnqueueAsync(0);
        Assert.True(entered.Wait(HandOff));
        log.HousekeepingDue = false;
        var next = queue.EnqueueAsync(1);
        Assert.False(next.IsCompleted);

        release.Set();
        await next;

        Assert.Equal([0, 1], log.Items);
        Assert.NotEqual(Environment.CurrentManagedThreadId, log.AfterCommitThreads[0]);
        Assert.Equal(1, log.MaxConcurrentCommits);
    }

    [Fact]
    public async Task Dispose_waits_for_an_inline_commit_in_progress_and_refuses_later_writes()
    {
        var log = new CommitLog();
        var queue = log.NewQueue();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        log.Gate = item => item == 0 ? (entered, release) : default;

        var leader = Task.Run(() => queue.EnqueueAsync(0));
        Assert.True(entered.Wait(HandOff));
        var disposing = Task.Run(queue.Dispose);
        release.Set();
        await leader;
        await disposing;

        Assert.Throws<ObjectDisposedException>(() => { _ = queue.EnqueueAsync(1); });
        Assert.Equal([0], log.Items);
    }

    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(4)];

    /// <summary>
    /// Concurrent writers, each awaiting its own items in order: every item commits exactly once,
    /// commits and housekeeping never overlap, and each writer's items commit in its order.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Concurrent_writers_commit_each_item_once_one_commit_at_a_time_in_each_writers_order(int seed)
    {
        var random = new Random(seed);
        var log = new CommitLog { HousekeepingEvery = 1 + random.Next(8) };
        using (var queue = log.NewQueue(maxGroup: 1 + random.Next(4)))
        {
            int writers = 1 + random.Next(6);
            int perWriter = 200 + random.Next(200);
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (int i = 0; i < perWriter; i++)
                {
                    await queue.EnqueueAsync((w * 10_000) + i);
                }
            }));
            await Task.WhenAll(tasks);

            string context = TestSeed.Replay(seed);
            Assert.True(log.Items.Count == writers * perWriter, context);
            foreach (var items in log.Items.GroupBy(item => item / 10_000))
            {
                Assert.True(items.SequenceEqual(Enumerable.Range(items.Key * 10_000, perWriter)), context);
            }

            Assert.True(log.MaxConcurrentCommits == 1, context);
        }
    }

    /// <summary>Records what the queue's callbacks saw; gates and failures are set per test.</summary>
    private sealed class CommitLog
    {
        private readonly object _lock = new();
        private int _active;
        private int _inlineCommits;

        public List<int> Items { get; } = [];

        public List<int> Threads { get; } = [];

        public List<int> GroupSizes { get; } = [];

        public List<int> AfterCommitThreads { get; } = [];

        public int AfterCommits { get; private set; }

        public int MaxConcurrentCommits { get; private set; }

        public Func<int, (ManualResetEventSlim Entered, ManualResetEventSlim Release)> Gate { get; set; } = _ => default;

        public (ManualResetEventSlim Entered, ManualResetEventSlim Release) AfterCommitGate { get; set; }

        public Func<int, Exception?> Fail { get; set; } = _ => null;

        public Func<int, bool> Reject { get; set; } = _ => false;

        public bool HousekeepingDue { get; set; }

        public int HousekeepingEvery { get; init; }

        public GroupCommitQueue<int> NewQueue(int maxGroup = 64) => new("test-writer", maxGroup, Commit, AfterCommit, InlineHousekeeping);

        private void Commit(List<GroupCommitQueue<int>.Pending> group, int start, int count)
        {
            Enter();
            try
            {
                lock (_lock)
                {
                    GroupSizes.Add(count);
                }

                for (int i = start; i < start + count; i++)
                {
                    int item = group[i].Item;
                    lock (_lock)
                    {
                        Items.Add(item);
                        Threads.Add(Environment.CurrentManagedThreadId);
                    }

                    var (entered, release) = Gate(item);
                    if (entered is not null)
                    {
                        entered.Set();
                        Assert.True(release.Wait(HandOff));
                    }

                    if (Fail(item) is { } failure)
                    {
                        throw failure;
                    }

                    if (Reject(item))
                    {
                        group[i].Rejection = new ArgumentException($"item {item} rejected");
                    }
                }
            }
            finally
            {
                Exit();
            }
        }

        private void AfterCommit()
        {
            Enter();
            try
            {
                lock (_lock)
                {
                    AfterCommits++;
                    AfterCommitThreads.Add(Environment.CurrentManagedThreadId);
                }

                var (entered, release) = AfterCommitGate;
                if (entered is not null)
                {
                    AfterCommitGate = default;
                    entered.Set();
                    Assert.True(release.Wait(HandOff));
                }
            }
            finally
            {
                Exit();
            }
        }

        private bool InlineHousekeeping()
        {
            Enter();
            Exit();
            int inline = Interlocked.Increment(ref _inlineCommits);
            return HousekeepingDue || (HousekeepingEvery > 0 && inline % HousekeepingEvery == 0);
        }

        private void Enter()
        {
            lock (_lock)
            {
                MaxConcurrentCommits = Math.Max(MaxConcurrentCommits, ++_active);
            }
        }

        private void Exit()
        {
            lock (_lock)
            {
                _active--;
            }
        }
    }
}
