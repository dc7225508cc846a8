using TinyKv.TestKit;
using Xunit.Abstractions;

namespace TinyKv.Raft.Tests.Simulation;

/// <summary>
/// Randomized simulation: the four safety properties of Raft (paper figure 3) after every
/// step, and liveness once the network heals. Each seed is replayable with TINYKV_SEED.
/// </summary>
public sealed class RandomizedSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Safety_holds_after_every_step_and_a_leader_commits_after_healing()
    {
        int seeds = 0;
        ulong terms = 0;
        foreach (int seed in TestSeed.Seeds(1000))
        {
            var cluster = new Cluster(seed);
            try
            {
                cluster.Run(steps: 800);
            }
            catch (Exception ex)
            {
                output.WriteLine(string.Join("\n", cluster.RecentTrace));
                throw new Xunit.Sdk.XunitException($"{TestSeed.Replay(seed)}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}\nrecent steps:\n{string.Join("\n", cluster.RecentTrace)}");
            }

            seeds++;
            terms += cluster.MaxTerm;
        }

        output.WriteLine($"{seeds} seeds passed; mean final term {(double)terms / seeds:F1}");
    }
}
