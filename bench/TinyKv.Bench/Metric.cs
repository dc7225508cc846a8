using System.Text.Json.Serialization;

namespace TinyKv.Bench;

/// <summary>
/// One measured figure. <see cref="Ratio"/> is <c>Value / BaselineValue</c> when higher is better
/// (throughputs) and <c>BaselineValue / Value</c> when lower is better (latencies), so a ratio
/// above 1 always means "better than the baseline". <see cref="Floor"/> is the ratio the issue
/// asks for, or null when the metric is reported only.
/// </summary>
public sealed record Metric(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("baseline")] string? Baseline,
    [property: JsonPropertyName("baselineValue")] double? BaselineValue,
    [property: JsonPropertyName("ratio")] double? Ratio,
    [property: JsonPropertyName("floor")] double? Floor)
{
    /// <summary>A figure reported without a baseline (p50, p99, allocations...).</summary>
    public static Metric Reported(string name, double value, string unit) =>
        new(name, value, unit, null, null, null, null);

    /// <summary>A throughput-like figure (higher is better) against a baseline.</summary>
    public static Metric HigherIsBetter(string name, double value, string unit, string baseline, double baselineValue, double? floor) =>
        new(name, value, unit, baseline, baselineValue, baselineValue == 0 ? null : value / baselineValue, floor);

    /// <summary>A cost-like figure (lower is better) against a baseline.</summary>
    public static Metric LowerIsBetter(string name, double value, string unit, string baseline, double baselineValue, double? floor) =>
        new(name, value, unit, baseline, baselineValue, value == 0 ? null : baselineValue / value, floor);

    /// <summary>An absolute floor with no baseline (e.g. "≥ 300k entries/s"): ratio is value / floor.</summary>
    public static Metric AtLeast(string name, double value, string unit, double absoluteFloor) =>
        new(name, value, unit, $"absolute floor {absoluteFloor:G4} {unit}", absoluteFloor, value / absoluteFloor, 1.0);

    /// <summary>An absolute ceiling with no baseline (e.g. "≤ 1 KiB per entry"): ratio is ceiling / value.</summary>
    public static Metric AtMost(string name, double value, string unit, double absoluteCeiling) =>
        new(name, value, unit, $"absolute ceiling {absoluteCeiling:G4} {unit}", absoluteCeiling, value == 0 ? double.PositiveInfinity : absoluteCeiling / value, 1.0);

    /// <summary>True when the metric has a floor and its ratio is below it.</summary>
    [JsonIgnore]
    public bool MissesFloor => Floor is { } f && (Ratio is not { } r || r < f);
}
