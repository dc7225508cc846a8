using System.CommandLine;
using TinyKv.Client;

namespace TinyKv.Cli;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Endpoint = new("--endpoint", "-e")
    {
        Description = "The silo's host:port",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TINYKV_ENDPOINT") ?? TinyKvClientOptions.DefaultEndpoint,
        Recursive = true,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "The cluster id of the silo",
        DefaultValueFactory = _ => "dev",
        Recursive = true,
    };

    public static readonly Option<string> Cf = new("--cf")
    {
        Description = "Column family: default, lock or write",
        DefaultValueFactory = _ => "default",
        Recursive = true,
    };

    public static readonly Option<string> Format = new Option<string>("--format")
    {
        Description = "Output format: text or json",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    public static readonly Option<bool> Hex = new("--hex")
    {
        Description = "Keys and values are hex on input and output (default: UTF-8 text)",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for the silo before giving up",
        DefaultValueFactory = _ => 5,
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Endpoint, ClusterId, Cf, Format, Hex, Timeout];
}
