namespace TinyKv.TestKit;

/// <summary>
/// Seeds for randomized tests. A test takes its seed from here, prints it on failure, and
/// replays a failing run when TINYKV_SEED is set to the printed value.
/// </summary>
public static class TestSeed
{
    /// <summary>The environment variable that pins the seed of every randomized test.</summary>
    public const string EnvironmentVariable = "TINYKV_SEED";

    /// <summary>
    /// The seeds a test should run: the one in <see cref="EnvironmentVariable"/> if set, otherwise
    /// <paramref name="count"/> seeds starting at <paramref name="first"/> (stable across runs).
    /// </summary>
    public static IEnumerable<int> Seeds(int count, int first = 1)
    {
        string? pinned = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (int.TryParse(pinned, out int seed))
        {
            return [seed];
        }

        return Enumerable.Range(first, count);
    }

    /// <summary>A message that names the seed and how to replay it, for assertion failures.</summary>
    public static string Replay(int seed) => $"seed {seed} (replay with {EnvironmentVariable}={seed})";
}
