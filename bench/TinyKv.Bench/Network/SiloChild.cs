using System.Diagnostics;
using System.Globalization;
using TinyKv.Actors.TestSilo;

namespace TinyKv.Bench.Network;

/// <summary>The second silo process of the benchmark (TinyKv.Actors.TestSilo); stdin closing stops it.</summary>
internal sealed class SiloChild : IAsyncDisposable
{
    private readonly Process _process;

    private SiloChild(Process process, int processId)
    {
        _process = process;
        ProcessId = processId;
    }

    public int ProcessId { get; }

    public static async Task<SiloChild> StartAsync(string clusterId, string invariant, string connectionString, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var argument in new[] { typeof(IProbeGrain).Assembly.Location, "--cluster", clusterId, "--invariant", invariant, "--connection", connectionString, "--port", port.ToString(CultureInfo.InvariantCulture), "--relaxed-liveness" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return new SiloChild(process, process.Id);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The silo process exited before it was ready.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
