namespace TinyKv.Network.Tests.Cluster;

/// <summary>
/// Bounded waits on a condition of another process (a membership row, a reactivation). The
/// condition is re-evaluated on a periodic timer; the bound fails the test with what was awaited.
/// </summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan bound, string what)
        where T : class
    {
        using var timeout = new CancellationTokenSource(bound);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still waiting after {bound.TotalSeconds:0} s for {what}.");
            }
        }
    }
}
