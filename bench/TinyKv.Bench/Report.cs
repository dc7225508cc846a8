using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyKv.Bench;

/// <summary>Prints a suite's metrics as a table and writes the JSON shape CI and notes read.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void PrintTable(string suite, IReadOnlyList<Metric> metrics, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"suite: {suite}");
        int nameWidth = Math.Max(6, metrics.Count == 0 ? 0 : metrics.Max(m => m.Name.Length));
        output.WriteLine($"{"metric".PadRight(nameWidth)}  {"value",14} {"unit",-10} {"ratio",8} {"floor",6}  baseline");
        foreach (var m in metrics)
        {
            string ratio = m.Ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-";
            string floor = m.Floor is { } f ? f.ToString("F2", CultureInfo.InvariantCulture) : "-";
            string baseline = m.Baseline is null ? "" : $"{m.Baseline} = {Format(m.BaselineValue ?? 0)}";
            string flag = m.MissesFloor ? "  << below floor" : "";
            output.WriteLine($"{m.Name.PadRight(nameWidth)}  {Format(m.Value),14} {m.Unit,-10} {ratio,8} {floor,6}  {baseline}{flag}");
        }
    }

    public static async Task WriteJsonAsync(string path, string suite, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, new SuiteReport(suite, metrics), JsonOptions, cancellationToken);
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    private sealed record SuiteReport(
        [property: JsonPropertyName("suite")] string Suite,
        [property: JsonPropertyName("metrics")] IReadOnlyList<Metric> Metrics);
}
