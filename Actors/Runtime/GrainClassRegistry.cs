using System.Collections.Concurrent;
using System.Reflection;
using TinyKv.Actors.Invocation;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// Grain interface → grain class, found by scanning the loaded assemblies that reference
/// TinyKv.Actors (once per interface). Exactly one non-abstract Grain subclass must implement
/// an interface a silo hosts.
/// </summary>
internal static class GrainClassRegistry
{
    private static readonly ConcurrentDictionary<string, Lazy<GrainClassInfo>> ByInterface = new(StringComparer.Ordinal);

    /// <summary>The class for a grain type (an interface's full name); throws a clear error when there is none or several.</summary>
    public static GrainClassInfo ForGrainType(string grainType)
    {
        var lazy = ByInterface.GetOrAdd(grainType, static t => new Lazy<GrainClassInfo>(() => Resolve(t)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            ByInterface.TryRemove(grainType, out _);
            throw;
        }
    }

    private static GrainClassInfo Resolve(string grainType)
    {
        var iface = InterfaceDescriptor.ForName(grainType)?.Type
            ?? throw new InvalidOperationException($"Grain interface '{grainType}' is not loaded in this silo.");
        string actors = typeof(Grain).Assembly.GetName().Name!;
        var candidates = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a == typeof(Grain).Assembly || a.GetReferencedAssemblies().Any(r => r.Name == actors))
            .SelectMany(LoadableTypes)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t) && iface.IsAssignableFrom(t) && !t.ContainsGenericParameters)
            .ToList();
        return candidates.Count switch
        {
            1 => new GrainClassInfo(candidates[0]),
            0 => throw new InvalidOperationException($"No grain class implements {iface.FullName} in this silo."),
            _ => throw new InvalidOperationException($"Several grain classes implement {iface.FullName}: {string.Join(", ", candidates.Select(c => c.FullName))}; give each its own interface."),
        };
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }
}
