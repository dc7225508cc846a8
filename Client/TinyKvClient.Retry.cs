using TinyKv.Actors;
using TinyKv.Grains.Interfaces;
using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

public sealed partial class TinyKvClient
{
    /// <summary>
    /// Runs one request: an error answer throws <see cref="TinyKvException"/> at once; a transport
    /// failure (no answer in time, silo unavailable) re-reads the gateways and retries after a
    /// jittered, doubling backoff, at most <see cref="TinyKvClientOptions.MaxRetries"/> times.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<IRawKvGrain, Task<T>> call, Func<T, Error?> error, CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Exception failure;
            try
            {
                var response = await call(_store).WaitAsync(cancellationToken);
                ThrowIfError(error(response));
                return response;
            }
            catch (Exception e) when (IsTransient(e))
            {
                failure = e;
            }

            backoff = await BackOffAsync(attempt, backoff, failure, cancellationToken);
        }
    }

    internal static bool IsTransient(Exception e) => e is TimeoutException or SiloUnavailableException;

    private static void ThrowIfError(Error? error)
    {
        if (error is { Code: not ErrorCode.None })
        {
            throw new TinyKvException(error.Code, error.Message);
        }
    }

    /// <summary>
    /// After the transient <paramref name="failure"/> of attempt <paramref name="attempt"/>: throws once
    /// the retries are spent, else waits a jittered <paramref name="backoff"/>, re-reads the gateways
    /// and returns the next backoff. Also the batch commands' retry (<see cref="BatchCommandsSender.BackOff"/>).
    /// </summary>
    private async Task<TimeSpan> BackOffAsync(int attempt, TimeSpan backoff, Exception failure, CancellationToken cancellationToken)
    {
        if (attempt >= _options.MaxRetries)
        {
            throw new TinyKvUnavailableException($"the store did not answer after {attempt + 1} attempts: {failure.Message}", failure);
        }

        await Task.Delay(backoff * (0.5 + (Random.Shared.NextDouble() / 2)), cancellationToken);
        await RefreshGatewaysAsync();
        return TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
    }

    /// <summary>Re-dials the gateway endpoints whose connection is down, learning a restarted silo's new address.</summary>
    private async Task RefreshGatewaysAsync()
    {
        if (_refreshGateways is not null)
        {
            await _refreshGateways();
        }
    }
}
