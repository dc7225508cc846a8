using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Tests.Wal;

/// <summary>The sync thread runs one sync at a time and hands its outcome to the waiter.</summary>
public sealed class SyncThreadTests
{
    [Fact]
    public void Wait_returns_after_the_sync_ran()
    {
        using var thread = new SyncThread("test-sync");
        int runs = 0;
        for (int i = 0; i < 100; i++)
        {
            thread.Start(() => Interlocked.Increment(ref runs));
            thread.Wait();
            Assert.Equal(i + 1, Volatile.Read(ref runs));
        }
    }

    [Fact]
    public void A_failed_sync_is_rethrown_once_by_the_waiter()
    {
        using var thread = new SyncThread("test-sync");
        var failure = new IOException("disk gone");
        thread.Start(() => throw failure);

        var thrown = Assert.Throws<IOException>(thread.Wait);
        Assert.Same(failure, thrown.InnerException);
        thread.Start(() => { });
        thread.Wait();
    }

    [Fact]
    public void A_second_sync_cannot_start_before_the_first_is_waited_for()
    {
        using var thread = new SyncThread("test-sync");
        using var release = new ManualResetEventSlim();
        thread.Start(release.Wait);

        Assert.Throws<InvalidOperationException>(() => thread.Start(() => { }));
        release.Set();
        thread.Wait();
    }

    [Fact]
    public void A_log_sync_begun_and_ended_leaves_nothing_unsynced()
    {
        using var directory = new TempDirectory();
        using var log = SegmentLog.Open(directory.Path, "test", 64 << 10, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, _ => true);
        var buffer = new RecordBuffer();
        int record = buffer.BeginRecord();
        buffer.WriteUInt64(42);
        buffer.EndRecord(record);
        log.Append(buffer.WrittenSpan);

        log.BeginSync();
        log.EndSync();

        Assert.Equal(0, log.UnsyncedBytes);
        Assert.Throws<InvalidOperationException>(log.EndSync);
    }
}
