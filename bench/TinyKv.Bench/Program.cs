using TinyKv.Bench;

// Usage: dotnet run -c Release --project bench/TinyKv.Bench -- SUITE [--quick] [--json FILE]
var suites = typeof(IBenchmarkSuite).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmarkSuite).IsAssignableFrom(t))
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

string? suiteName = null;
string? jsonPath = null;
bool quick = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--json" when i + 1 < args.Length:
            jsonPath = args[++i];
            break;
        case var a when !a.StartsWith("--", StringComparison.Ordinal) && suiteName is null:
            suiteName = a;
            break;
        default:
            return Usage($"unknown argument '{args[i]}'");
    }
}

var suite = suites.FirstOrDefault(s => s.Name == suiteName);
if (suite is null)
{
    return Usage(suiteName is null ? "no suite named" : $"unknown suite '{suiteName}'");
}

if (SuiteProcess.IsNeeded(suite))
{
    return await SuiteProcess.RunAsync(suite, args);
}

string work = Path.Combine(Path.GetTempPath(), $"tinykv-bench-{suite.Name}-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    using var cts = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
    var host = HostCpu.Read();
    var metrics = (await suite.RunAsync(new BenchOptions(quick, work), cts.Token)).ToList();
    if (host is { } start && HostCpu.Read() is { } end)
    {
        metrics.Add(Metric.Reported("host.cpu_stolen", end.StolenPercentSince(start), "% of the machine's CPU time over the run (hypervisor steal)"));
    }

    Report.PrintTable(suite.Name, metrics, Console.Out);
    if (jsonPath is not null)
    {
        await Report.WriteJsonAsync(jsonPath, suite.Name, metrics, cts.Token);
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

int Usage(string error)
{
    Console.Error.WriteLine($"tinykv-bench: {error}");
    Console.Error.WriteLine("usage: TinyKv.Bench SUITE [--quick] [--json FILE]");
    foreach (var s in suites)
    {
        Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
    }
    return 2;
}
