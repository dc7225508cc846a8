using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using TinyKv.Actors;
using TinyKv.Actors.TestSilo;

// A silo process: prints "READY <silo address>" once it is Active, runs until stdin closes or it is killed.
var arguments = SiloArguments.Parse(args);
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.UseTinyKvSilo(silo =>
{
    silo.Configure<SiloOptions>(o =>
    {
        o.ClusterId = arguments.ClusterId;
        o.SiloPort = arguments.Port;
    })
    .UseTcpTransport(o => o.SharedSecret = arguments.Secret)
    .UseAdoNetClustering(o =>
    {
        o.Invariant = arguments.Invariant;
        o.ConnectionString = arguments.ConnectionString;
    })
    .AddAdoNetGrainStorageAsDefault(o =>
    {
        o.Invariant = arguments.Invariant;
        o.ConnectionString = arguments.ConnectionString;
    });
    if (arguments.FastLiveness)
    {
        silo.Configure<ClusterMembershipOptions>(FastLiveness.Apply);
    }
    else if (arguments.RelaxedLiveness)
    {
        silo.Configure<ClusterMembershipOptions>(RelaxedLiveness.Apply);
    }
});
using var host = builder.Build();
await host.StartAsync();
var self = host.Services.GetRequiredService<Silo>();
await Console.Out.WriteLineAsync($"READY {self.SiloAddress}");
await Console.Out.FlushAsync();
var stdinClosed = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync() is not null)
    {
    }
});
await Task.WhenAny(stdinClosed, self.Stopped);
await host.StopAsync();
