using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using TinyKv.Client;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>The built silo as a child process on free ports and a data directory; killable and restartable.</summary>
internal sealed partial class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly string[] _extraArgs;
    private Process? _process;

    public SiloProcess(string dataDirectory, string clusterId = "e2e", params string[] extraArgs)
    {
        DataDirectory = dataDirectory;
        ClusterId = clusterId;
        _extraArgs = extraArgs;
        SiloPort = Artifacts.FreePort();
        HttpPort = Artifacts.FreePort();
    }

    public string DataDirectory { get; }

    public string ClusterId { get; }

    public int SiloPort { get; }

    public int HttpPort { get; }

    public string Endpoint => $"127.0.0.1:{SiloPort}";

    /// <summary>What the process printed (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(string? dataDirectory = null, string clusterId = "e2e", params string[] extraArgs)
    {
        var silo = new SiloProcess(dataDirectory ?? Artifacts.TempDirectory(), clusterId, extraArgs);
        await silo.StartAsync();
        return silo;
    }

    /// <summary>Starts the silo and returns once it printed its listening line.</summary>
    public async Task StartAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = StartInfo(Artifacts.SiloDll, ["--data-dir", DataDirectory, "--cluster-id", ClusterId, "--silo-port", $"{SiloPort}", "--http-port", $"{HttpPort}", .. _extraArgs]) };
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data?.StartsWith("tinykv silo:", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"the silo exited before it listened:\n{Output}"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(StartTimeout);
    }

    /// <summary>SIGKILL: no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        var process = _process!;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM (as Ctrl+C): a graceful stop; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process!;
        Assert.Equal(0, Kill(process.Id, 15));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        int code = process.ExitCode;
        process.Dispose();
        _process = null;
        return code;
    }

    public bool IsRunning => _process is { HasExited: false };

    public Task<TinyKvClient> ConnectAsync(Action<TinyKvClientOptions>? configure = null)
    {
        var options = new TinyKvClientOptions { Endpoints = [Endpoint], ClusterId = ClusterId };
        configure?.Invoke(options);
        return TinyKvClient.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    internal static ProcessStartInfo StartInfo(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
