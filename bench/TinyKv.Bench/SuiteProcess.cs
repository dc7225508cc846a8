using System.Diagnostics;

namespace TinyKv.Bench;

/// <summary>
/// Runs a suite in a child process of this program when the suite needs environment variables this
/// process was not started with (<see cref="IBenchmarkSuite.ProcessEnvironment"/>). The child gets
/// the same arguments and this console; its exit code is this program's. A variable already set in
/// this environment keeps its value, so a run can measure the suite with another.
/// </summary>
internal static class SuiteProcess
{
    public static bool IsNeeded(IBenchmarkSuite suite) =>
        suite.ProcessEnvironment.Keys.Any(name => Environment.GetEnvironmentVariable(name) is null);

    public static async Task<int> RunAsync(IBenchmarkSuite suite, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(typeof(SuiteProcess).Assembly.Location);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in suite.ProcessEnvironment)
        {
            start.Environment.TryAdd(name, value);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmark's child process.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
