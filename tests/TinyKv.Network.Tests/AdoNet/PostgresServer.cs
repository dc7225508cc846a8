using System.Diagnostics;
using TinyKv.Network.Tests.Cluster;

namespace TinyKv.Network.Tests.AdoNet;

/// <summary>
/// A throwaway PostgreSQL 15 server for one test run: initdb in a temp directory, a free loopback
/// port, trust authentication, stopped and deleted on dispose. initdb and postgres refuse to run as
/// root, so under root they run as the postgres user through runuser. Missing binaries fail the
/// tests with a message saying what to install.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly string[] BinDirectories = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tinykv-pg-{Guid.NewGuid():N}");
    private string _bin = string.Empty;
    private bool _started;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _bin = BinDirectories.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries not found (looked for initdb in " + string.Join(", ", BinDirectories) +
                "). Install them: apt-get install -y postgresql-15.");
        string data = Path.Combine(_root, "data");
        string sockets = Path.Combine(_root, "sock");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(sockets);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        int port = FreePorts.Next();
        await RunPostgresToolAsync("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
        await RunPostgresToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_root, "server.log"), "-o", $"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start"]);
        _started = true;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20";
    }

    public async Task DisposeAsync()
    {
        if (_started)
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private Task RunPostgresToolAsync(string tool, string[] arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
