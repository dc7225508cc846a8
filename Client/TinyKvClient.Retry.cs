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
                if (error(response) is { Code: not ErrorCode.None } e)
                {
                    throw new TinyKvException(e.Code, e.Message);
                }

                return response;
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException)
            {
                failure = e;
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new TinyKvUnavailableException($"the store did not answer after {attempt + 1} attempts: {failure.Message}", failure);
            }

            await Task.Delay(backoff * (0.5 + (Random.Shared.NextDouble() / 2)), cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            await RefreshGatewaysAsync();
        }
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
