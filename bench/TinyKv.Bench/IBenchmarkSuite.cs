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

    Task<IReadOnlyList<Metric>> RunAsync(BenchOptions options, CancellationToken cancellationToken);
}
