using System.CommandLine;

namespace TinyKv.Cli;

/// <summary>put, get, delete and scan.</summary>
internal static class KvCommands
{
    public static Command Put()
    {
        var key = new Argument<string>("KEY");
        var value = new Argument<string>("VALUE");
        var command = new Command("put", "Write KEY = VALUE (durable once it returns)") { key, value };
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            byte[] k = context.Encoding.Parse(parse.GetValue(key)!, "KEY");
            byte[] v = context.Encoding.Parse(parse.GetValue(value)!, "VALUE");
            await using var client = await context.ConnectAsync(ct);
            await client.PutAsync(k, v, context.Cf, ct);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { ok = true });
            }
            else
            {
                await Console.Out.WriteLineAsync("OK");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Get()
    {
        var key = new Argument<string>("KEY");
        var command = new Command("get", "Print the value of KEY; exit code 1 when it does not exist") { key };
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            string text = parse.GetValue(key)!;
            byte[] k = context.Encoding.Parse(text, "KEY");
            await using var client = await context.ConnectAsync(ct);
            byte[]? value = await client.GetAsync(k, context.Cf, ct);
            if (value is null)
            {
                await Console.Error.WriteLineAsync($"tinykv: not found: {text}");
                return ExitCodes.NotFound;
            }

            if (context.Json)
            {
                await context.WriteJsonAsync(new { key = text, value = context.Encoding.Format(value) });
            }
            else
            {
                await Console.Out.WriteLineAsync(context.Encoding.Format(value));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Delete()
    {
        var key = new Argument<string>("KEY");
        var command = new Command("delete", "Delete KEY (a missing key is not an error)") { key };
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            byte[] k = context.Encoding.Parse(parse.GetValue(key)!, "KEY");
            await using var client = await context.ConnectAsync(ct);
            await client.DeleteAsync(k, context.Cf, ct);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { ok = true });
            }
            else
            {
                await Console.Out.WriteLineAsync("OK");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Scan()
    {
        var from = new Option<string>("--from") { Description = "First key (inclusive); default: the smallest" };
        var to = new Option<string>("--to") { Description = "End key (exclusive); default: unbounded" };
        var limit = new Option<int>("--limit") { Description = "Most pairs to print; 0 for all", DefaultValueFactory = _ => 100 };
        var command = new Command("scan", "Print pairs with keys in [--from, --to) in key order, one per line (key<TAB>value)") { from, to, limit };
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            int most = parse.GetValue(limit) is var l and >= 0 ? l : throw new UsageException("--limit must not be negative");
            byte[]? start = parse.GetValue(from) is { } f ? context.Encoding.Parse(f, "--from") : null;
            byte[]? end = parse.GetValue(to) is { } t ? context.Encoding.Parse(t, "--to") : null;
            await using var client = await context.ConnectAsync(ct);
            var pairs = new List<object>();
            await foreach (var (k, v) in client.ScanAsync(start, end, most, context.Cf, ct))
            {
                if (context.Json)
                {
                    pairs.Add(new { key = context.Encoding.Format(k), value = context.Encoding.Format(v) });
                }
                else
                {
                    await Console.Out.WriteLineAsync($"{context.Encoding.Format(k)}\t{context.Encoding.Format(v)}");
                }
            }

            if (context.Json)
            {
                await context.WriteJsonAsync(pairs);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
