using System.Collections.Frozen;

namespace TinyKv.Bench;

/// <summary>
/// One benchmark suite (storage, raft, actors, ...). Suites are discovered by reflection: add a
/// sealed class with a public parameterless constructor and it becomes
/// <c>dotnet run -c Release --project bench/TinyKv.Bench -- NAME [--quick] [--json FILE]</c>.
/// </summary>
/// <remarks>
/// Contract: every metric with a floor carries a baseline measured in the same run, because
/// absolute times on shared machines drift; <see cref="BenchOptions.Quick"/> keeps the whole
/// suite under a minute.
/// </remarks>
public interface IBenchmarkSuite
{
    /// <summary>The name on the command line, lower case.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>
    /// Environment variables every process of this suite must start with: runtime settings that are
    /// read once at start-up, such as the thread pool's. None by default. A suite whose variables this
    /// process lacks runs in a child process of this program that has them (<see cref="SuiteProcess"/>);
    /// processes the suite starts inherit them from there. A variable set by the caller wins.
    /// </summary>
    IReadOnlyDictionary<string, string> ProcessEnvironment => FrozenDictionary<string, string>.Empty;

    Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken);
}
