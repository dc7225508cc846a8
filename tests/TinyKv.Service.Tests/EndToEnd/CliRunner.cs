using System.Diagnostics;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>Runs the built <c>tinykv</c> and captures its exit code and output.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = new Process { StartInfo = SiloProcess.StartInfo(Artifacts.CliDll, args) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }
}
