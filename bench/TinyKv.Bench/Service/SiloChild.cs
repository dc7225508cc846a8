using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TinyKv.Bench.Service;

/// <summary>The built TinyKv.Silo as a child process on free loopback ports, durable (Sync) writes.</summary>
internal sealed class SiloChild : IAsyncDisposable
{
    private readonly Process _process;

    private SiloChild(Process process, int port)
    {
        _process = process;
        Endpoint = $"127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    /// <summary>Processor time the silo process used so far (user and kernel).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<SiloChild> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { SiloDll(), "--data-dir", dataDirectory, "--cluster-id", "bench", "--silo-port", $"{port}", "--http-port", $"{FreePort()}" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("tinykv silo:", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
                return new SiloChild(process, port);
            }
        }

        throw new InvalidOperationException($"the silo exited before it listened (exit code {process.ExitCode})");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SiloDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "Silo", "bin", "Release", "net10.0", "TinyKv.Silo.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("build Silo in Release first (Silo/bin/Release/net10.0/TinyKv.Silo.dll)");
    }
}
