namespace TinyKv.Bench;

/// <summary>Options shared by every suite.</summary>
/// <param name="Quick">Short runs: the whole suite finishes in under a minute.</param>
/// <param name="WorkDirectory">A fresh directory the suite may fill; deleted after the run.</param>
public sealed record BenchOptions(bool Quick, string WorkDirectory)
{
    /// <summary>Picks the quick or the full value of a knob (iterations, seconds, keys).</summary>
    public T Pick<T>(T quick, T full) => Quick ? quick : full;
}
