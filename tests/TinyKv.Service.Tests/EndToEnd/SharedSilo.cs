namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>One silo process shared by the end-to-end tests that do not restart it.</summary>
public sealed class SharedSilo : IAsyncLifetime
{
    internal SiloProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await SiloProcess.StartAsync();

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

/// <summary>End-to-end tests run one at a time: they start processes on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<SharedSilo>
{
    public const string Name = "end-to-end";
}
