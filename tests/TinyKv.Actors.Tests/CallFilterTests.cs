using Microsoft.Extensions.DependencyInjection;
using TinyKv.Actors.Tests.Grains;

namespace TinyKv.Actors.Tests;

public sealed class CallFilterTests
{
    [Fact]
    public async Task IncomingFiltersWrapTheCallAndMayReplaceArgumentsAndResults()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events, (_, silo) =>
            silo.AddIncomingGrainCallFilter(new UpperCaseFilter(events)));
        var grain = cluster.GrainFactory.GetGrain<IContextGrain>("f");

        Assert.Equal("HELLO!", await grain.EchoAsync("hello"));
        Assert.Equal(["in:EchoAsync", "out:EchoAsync"], events.Log);
    }

    [Fact]
    public async Task OutgoingFiltersRunOnTheCallingSiloBeforeRouting()
    {
        var events = new GrainEvents();
        await using var cluster = await Clusters.StartAsync(1, events, (_, silo) =>
            silo.Services.AddSingleton<IOutgoingGrainCallFilter>(new TaggingFilter(events)));
        var grain = cluster.Primary.Silo.GrainFactory.GetGrain<IContextGrain>("g");

        Assert.Equal("tagged", await grain.ReadContextAsync("tag"));
        Assert.Contains("outgoing:ReadContextAsync", events.Log);
    }

    private sealed class UpperCaseFilter(GrainEvents events) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            events.Log.Enqueue($"in:{context.InterfaceMethod.Name}");
            if (context.Arguments is [string text])
            {
                context.Arguments[0] = text.ToUpperInvariant();
            }

            await context.Invoke();
            context.Result = $"{context.Result}!";
            events.Log.Enqueue($"out:{context.InterfaceMethod.Name}");
        }
    }

    private sealed class TaggingFilter(GrainEvents events) : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            events.Log.Enqueue($"outgoing:{context.InterfaceMethod.Name}");
            RequestContext.Set("tag", "tagged");
            return context.Invoke();
        }
    }
}
