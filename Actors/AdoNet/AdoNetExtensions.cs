using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TinyKv.Actors;

/// <summary>ADO.NET clustering and grain state for silos (Orleans' names).</summary>
public static class AdoNetExtensions
{
    /// <summary>
    /// Membership and the grain directory in the database of <paramref name="configure"/>, scoped by
    /// the silo's <see cref="SiloOptions.ClusterId"/>. Silos on different processes or hosts that share
    /// the database form one cluster.
    /// </summary>
    public static ISiloBuilder UseAdoNetClustering(this ISiloBuilder builder, Action<AdoNetOptions> configure)
    {
        var options = new AdoNetOptions();
        configure(options);
        options.Validate();
        builder.Services.RemoveAll<IMembershipTable>();
        builder.Services.RemoveAll<IGrainDirectory>();
        builder.Services.AddSingleton<IMembershipTable>(sp => new AdoNetMembershipTable(options, sp.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId));
        builder.Services.AddSingleton<IGrainDirectory>(sp => new AdoNetGrainDirectory(options, sp.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId));
        return builder;
    }

    /// <summary>Grain state under provider <paramref name="name"/> in the database of <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddAdoNetGrainStorage(this ISiloBuilder builder, string name, Action<AdoNetOptions> configure)
    {
        var options = new AdoNetOptions();
        configure(options);
        options.Validate();
        builder.Services.RemoveAllKeyed<IGrainStorage>(name);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, new AdoNetGrainStorage(options));
        return builder;
    }

    public static ISiloBuilder AddAdoNetGrainStorageAsDefault(this ISiloBuilder builder, Action<AdoNetOptions> configure) =>
        builder.AddAdoNetGrainStorage(GrainStorageNames.Default, configure);
}
