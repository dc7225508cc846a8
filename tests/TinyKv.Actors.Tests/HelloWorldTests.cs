namespace TinyKv.Actors.Tests;

// The hello-world of Actors/README.md, kept compiling and passing here.
public interface IHelloGrain : IGrainWithStringKey
{
    Task<string> SayHelloAsync(string greeting);
}

public sealed class HelloGrain : Grain, IHelloGrain
{
    public Task<string> SayHelloAsync(string greeting) => Task.FromResult($"{this.GetPrimaryKeyString()} says: {greeting}");
}

public sealed class HelloGrainTests
{
    [Fact]
    public async Task SaysHello()
    {
        await using var cluster = new TestClusterBuilder(2).Build();
        await cluster.DeployAsync();
        var hello = cluster.GrainFactory.GetGrain<IHelloGrain>("alice");
        Assert.Equal("alice says: hi", await hello.SayHelloAsync("hi"));
    }
}
