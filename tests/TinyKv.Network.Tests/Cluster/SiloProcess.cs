using System.Diagnostics;
using System.Text;
using TinyKv.Actors.TestSilo;

namespace TinyKv.Network.Tests.Cluster;

/// <summary>
/// A silo in a child process (TinyKv.Actors.TestSilo): TCP on a free loopback port, ADO.NET
/// clustering. <see cref="Kill"/> is kill -9; dispose stops it gracefully (stdin closes) or kills it.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _errors;

    private SiloProcess(Process process, SiloAddress address, StringBuilder errors)
    {
        _process = process;
        Address = address;
        _errors = errors;
    }

    public SiloAddress Address { get; }

    public int ProcessId => _process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(string clusterId, AdoNetOptions database, string? secret = null)
    {
        string silo = typeof(IProbeGrain).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            silo, "--cluster", clusterId, "--invariant", database.Invariant, "--connection", database.ConnectionString,
            "--port", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--fast-liveness",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (secret is not null)
        {
            start.ArgumentList.Add("--secret");
            start.ArgumentList.Add(secret);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the test silo.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartBound);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return new SiloProcess(process, Parse(line["READY ".Length..]), errors);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        string log;
        lock (errors)
        {
            log = errors.ToString();
        }

        throw new InvalidOperationException($"The test silo did not report READY within {StartBound.TotalSeconds:0} s. Its stderr:\n{log}");
    }

    /// <summary>SIGKILL: no goodbye, no membership write; the others must find out by probing.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
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
        }

        _process.Dispose();
    }

    private static SiloAddress Parse(string text)
    {
        int at = text.LastIndexOf('@');
        int colon = text.LastIndexOf(':', at);
        return new SiloAddress(
            text[..colon],
            int.Parse(text[(colon + 1)..at], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(text[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
