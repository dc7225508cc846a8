namespace TinyKv.Actors.Tests;

public sealed class FakeTimeProviderTests
{
    [Fact]
    public void TimersFireInDueOrderAtTheirDueTimes()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using var a = time.CreateTimer(_ => fired.Add(("a", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));
        using var b = time.CreateTimer(_ => fired.Add(("b", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal([("a", TimeSpan.FromSeconds(3)), ("b", TimeSpan.FromSeconds(5)), ("a", TimeSpan.FromSeconds(6))], fired);
        Assert.Equal(TimeSpan.FromSeconds(7), time.GetUtcNow() - start);
        Assert.Equal(start + TimeSpan.FromSeconds(9), time.NextDue());
    }

    [Fact]
    public void DisposedAndChangedTimersObeyTheirLastSetting()
    {
        var time = new FakeTimeProvider();
        int ticks = 0;
        var timer = time.CreateTimer(_ => ticks++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(2));
        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(2, ticks);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, ticks);
        timer.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, ticks);
        Assert.Null(time.NextDue());
    }

    [Fact]
    public void TimestampsFollowTheClock()
    {
        var time = new FakeTimeProvider();
        long t0 = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), time.GetElapsedTime(t0));
    }
}
