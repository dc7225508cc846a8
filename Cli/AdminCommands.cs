using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace TinyKv.Cli;

/// <summary>status and load.</summary>
internal static class AdminCommands
{
    public static Command Status()
    {
        var command = new Command("status", "Print the store's id, cluster, uptime and engine figures");
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            await using var client = await context.ConnectAsync(ct);
            var status = await client.GetStatusAsync(ct);
            if (context.Json)
            {
                await context.WriteJsonAsync(new
                {
                    storeId = status.StoreId,
                    clusterId = status.ClusterId,
                    uptimeSeconds = status.UptimeSeconds,
                    lastSequence = status.LastSequence,
                    approximateSize = status.ApproximateSize,
                    syncPolicy = status.SyncPolicy,
                });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumn("setting").AddColumn("value");
            table.AddRow("endpoint", Markup.Escape(context.Endpoint));
            table.AddRow("store id", status.StoreId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("cluster id", Markup.Escape(status.ClusterId));
            table.AddRow("uptime", TimeSpan.FromSeconds(Math.Round(status.UptimeSeconds)).ToString());
            table.AddRow("sync policy", status.SyncPolicy);
            table.AddRow("last sequence", status.LastSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("approximate size", $"{status.ApproximateSize:N0} bytes");
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Load()
    {
        var keys = new Option<int>("--keys") { Description = "Number of random keys to write", DefaultValueFactory = _ => 10_000 };
        var valueSize = new Option<int>("--value-size") { Description = "Bytes per value", DefaultValueFactory = _ => 100 };
        var concurrency = new Option<int>("--concurrency") { Description = "Writes in flight", DefaultValueFactory = _ => 64 };
        var command = new Command("load", "Write N random keys (durable puts) and report the rate") { keys, valueSize, concurrency };
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            foreach (var option in new[] { keys, valueSize, concurrency })
            {
                if (parse.GetValue(option) < 1)
                {
                    throw new UsageException($"{option.Name} must be positive");
                }
            }

            int total = parse.GetValue(keys);
            int size = parse.GetValue(valueSize);
            await using var client = await context.ConnectAsync(ct);
            int next = -1;
            long written = 0;
            var clock = Stopwatch.StartNew();
            async Task WriterAsync()
            {
                byte[] value = new byte[size];
                while (Interlocked.Increment(ref next) < total)
                {
                    Random.Shared.NextBytes(value);
                    byte[] key = System.Text.Encoding.UTF8.GetBytes($"load-{Guid.NewGuid():N}");
                    await client.PutAsync(key, value, context.Cf, ct);
                    Interlocked.Increment(ref written);
                }
            }

            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"writing {total:N0} keys", maxValue: total);
                    var writers = Enumerable.Range(0, Math.Min(parse.GetValue(concurrency), total)).Select(_ => Task.Run(WriterAsync, ct)).ToList();
                    var all = Task.WhenAll(writers);
                    while (await Task.WhenAny(all, Task.Delay(100, ct)) != all)
                    {
                        task.Value = Interlocked.Read(ref written);
                    }

                    await all;
                    task.Value = total;
                });
            double seconds = clock.Elapsed.TotalSeconds;
            double rate = total / Math.Max(seconds, 1e-9);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { keys = total, seconds, keysPerSecond = rate });
            }
            else
            {
                await Console.Out.WriteLineAsync($"wrote {total:N0} keys in {seconds:F2} s: {rate:N0} keys/s");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
