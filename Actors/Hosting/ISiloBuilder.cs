using Microsoft.Extensions.DependencyInjection;

namespace TinyKv.Actors;

/// <summary>Configures one silo (Orleans' ISiloBuilder): extension methods add clustering, storage, filters, placement.</summary>
public interface ISiloBuilder
{
    IServiceCollection Services { get; }
}

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services { get; } = services;
}
