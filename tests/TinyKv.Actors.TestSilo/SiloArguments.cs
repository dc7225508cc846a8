namespace TinyKv.Actors.TestSilo;

/// <summary>
/// Command line: --cluster ID --invariant (Microsoft.Data.Sqlite|Npgsql) --connection CS --port N
/// [--secret S] [--fast-liveness | --relaxed-liveness]. Fast liveness (<see cref="TestSilo.FastLiveness"/>)
/// declares a silo dead within seconds, so kill tests finish quickly; relaxed liveness
/// (<see cref="TestSilo.RelaxedLiveness"/>) keeps a CPU-saturating benchmark free of false deaths.
/// </summary>
internal sealed record SiloArguments(string ClusterId, string Invariant, string ConnectionString, int Port, string? Secret, bool FastLiveness, bool RelaxedLiveness)
{
    public static SiloArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool fast = false;
        bool relaxed = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--fast-liveness")
            {
                fast = true;
            }
            else if (args[i] == "--relaxed-liveness")
            {
                relaxed = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
        }

        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");
        return new SiloArguments(
            Get("cluster"),
            Get("invariant"),
            Get("connection"),
            int.Parse(Get("port"), System.Globalization.CultureInfo.InvariantCulture),
            values.GetValueOrDefault("secret"),
            fast,
            relaxed);
    }
}
