using System.CommandLine;
using System.Text.Json;
using TinyKv.Client;

namespace TinyKv.Cli;

/// <summary>What a command needs from the global options: a connected client, the encoding and the output format.</summary>
internal sealed class CommandContext(ParseResult parse)
{
    public Encoding Encoding { get; } = new(parse.GetValue(GlobalOptions.Hex));

    public bool Json { get; } = parse.GetValue(GlobalOptions.Format) == "json";

    public string Cf { get; } = parse.GetValue(GlobalOptions.Cf)!;

    public string Endpoint { get; } = parse.GetValue(GlobalOptions.Endpoint)!;

    public Task<TinyKvClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(GlobalOptions.Timeout)));
        return TinyKvClient.ConnectAsync(
            new TinyKvClientOptions
            {
                Endpoints = [Endpoint],
                ClusterId = parse.GetValue(GlobalOptions.ClusterId)!,
                ConnectTimeout = timeout,
                ResponseTimeout = timeout,
                MaxRetries = 1,
            },
            cancellationToken);
    }

    public Task WriteJsonAsync<T>(T value) => Console.Out.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
