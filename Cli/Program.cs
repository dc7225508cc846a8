using System.CommandLine;
using TinyKv.Cli;
using TinyKv.Client;

var root = new RootCommand("tinykv: the command-line client of a TinyKv.Orleans store")
{
    KvCommands.Put(),
    KvCommands.Get(),
    KvCommands.Delete(),
    KvCommands.Scan(),
    AdminCommands.Status(),
    AdminCommands.Load(),
};
foreach (var option in GlobalOptions.All)
{
    root.Options.Add(option);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    string message = string.Join(' ', parse.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
    Console.Error.WriteLine($"tinykv: {message} (usage: tinykv [--endpoint HOST:PORT] put|get|delete|scan|status|load ...; see tinykv --help)");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine($"tinykv: {e.Message}");
    return ExitCodes.Usage;
}
catch (TinyKvUnavailableException e)
{
    Console.Error.WriteLine($"tinykv: {e.Message}");
    return ExitCodes.Unreachable;
}
catch (TinyKvException e)
{
    Console.Error.WriteLine($"tinykv: {e.Code}: {e.Message}");
    return ExitCodes.Refused;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("tinykv: cancelled");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"tinykv: internal error: {e.Message}");
    return ExitCodes.Internal;
}
