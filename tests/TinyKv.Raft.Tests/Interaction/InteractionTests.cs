using System.Runtime.CompilerServices;
using System.Text;

namespace TinyKv.Raft.Tests.Interaction;

/// <summary>
/// Golden interaction scripts (etcd/raft's testdata): each block is a command, a "----" line and
/// the expected trace, ended by a blank line. With TINYKV_REWRITE=1 the expectations are
/// regenerated in the source tree for review.
/// </summary>
public sealed class InteractionTests
{
    public const string RewriteVariable = "TINYKV_REWRITE";

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata"), "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_produces_the_expected_trace(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "testdata", file);
        var blocks = ParseBlocks(File.ReadAllText(path));
        var env = new InteractionEnv();
        var rewritten = new StringBuilder();
        foreach (var (line, expected) in blocks)
        {
            string actual;
            if (line.StartsWith('#') || line.Length == 0)
            {
                rewritten.Append(line).Append('\n');
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            actual = env.Handle(parts[0], parts[1..]);
            if (actual.Length == 0)
            {
                actual = "ok\n";
            }

            rewritten.Append(line).Append("\n----\n").Append(actual).Append('\n');
            if (Environment.GetEnvironmentVariable(RewriteVariable) != "1")
            {
                Assert.True(expected == actual, $"{file}: command '{line}'\n--- expected\n{expected}--- actual\n{actual}");
            }
        }

        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            File.WriteAllText(Path.Combine(SourceTestData(), file), rewritten.ToString().TrimEnd('\n') + "\n");
        }
    }

    /// <summary>Blocks: a command line, then (for commands) "----" and the expected output up to a blank line.</summary>
    private static List<(string Line, string Expected)> ParseBlocks(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<(string, string)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                if (line.StartsWith('#'))
                {
                    blocks.Add((line, ""));
                }

                continue;
            }

            var expected = new StringBuilder();
            if (i + 1 < lines.Length && lines[i + 1] == "----")
            {
                i += 2;
                for (; i < lines.Length && lines[i].Length > 0; i++)
                {
                    expected.Append(lines[i]).Append('\n');
                }
            }

            blocks.Add((line, expected.ToString()));
        }

        return blocks;
    }

    private static string SourceTestData([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "testdata");
}
