using System.Net;
using TinyKv.Actors;
using TinyKv.Grains;
using TinyKv.Silo;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("TINYKV_");
builder.Configuration.AddCommandLine(args, SiloHostOptions.Switches.ToDictionary());

var options = new SiloHostOptions();
string? problem;
try
{
    builder.Configuration.Bind(options);
    problem = options.Validate();
}
catch (InvalidOperationException e)
{
    problem = e.Message;
}
catch (FormatException e)
{
    problem = e.Message;
}

if (problem is not null)
{
    Console.Error.WriteLine($"tinykv-silo: invalid configuration: {problem}");
    return 2;
}

Directory.CreateDirectory(options.DataDirectory);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(options.LogLevel, ignoreCase: true));
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.HttpPort));
builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = TimeSpan.FromSeconds(20));

var store = new StoreOptions
{
    StoreId = options.StoreId,
    Directory = options.StoreDirectory,
    EngineMemoryMb = options.EngineMemoryMb,
    SyncPolicy = Enum.Parse<SyncPolicy>(options.SyncPolicy, ignoreCase: true),
    ClusterId = options.ClusterId,
};
string database = $"Data Source={options.DatabasePath}";
builder.UseTinyKvSilo(silo => silo
    .Configure<SiloOptions>(o =>
    {
        o.ClusterId = options.ClusterId;
        o.SiloPort = options.SiloPort;
        o.DataDirectory = options.DataDirectory;
        o.SiloName = $"store-{options.StoreId}";
    })
    .UseTcpTransport(t => t.SharedSecret = options.SharedSecret)
    .ListenOnHostKestrel()
    .UseAdoNetClustering(a => a.ConnectionString = database)
    .AddAdoNetGrainStorageAsDefault(a => a.ConnectionString = database)
    .AddTinyKvStore(store));

var app = builder.Build();
StatusEndpoints.Map(app, options);
try
{
    await app.StartAsync();
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"tinykv-silo: cannot start: {e.Message}");
    return 1;
}

Console.WriteLine(
    $"tinykv silo: store {options.StoreId} of cluster '{options.ClusterId}' listening on 127.0.0.1:{options.SiloPort} " +
    $"(data {Path.GetFullPath(options.DataDirectory)}, status http://127.0.0.1:{options.HttpPort}/status); " +
    $"try: dotnet run --project Cli -- --endpoint 127.0.0.1:{options.SiloPort} put hello world");
await app.WaitForShutdownAsync();
return 0;
