using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;

namespace TinyKv.Actors.Invocation;

/// <summary>A grain interface: its key kind and its methods by MethodInfo and by wire id. Built once per interface.</summary>
internal sealed class InterfaceDescriptor
{
    private static readonly ConcurrentDictionary<Type, InterfaceDescriptor> ByType = new();
    private static readonly ConcurrentDictionary<string, Type?> ByName = new(StringComparer.Ordinal);

    /// <summary>The last interface this thread resolved by name: a read loop sees the same few names over and over.</summary>
    [ThreadStatic]
    private static InterfaceDescriptor? _lastByName;

    private InterfaceDescriptor(Type type)
    {
        if (!type.IsInterface || !typeof(IGrain).IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type.FullName} is not a grain interface (an interface deriving from IGrain).");
        }

        Type = type;
        Name = type.FullName!;
        NameHash = Name.GetHashCode();
        KeyKind = type switch
        {
            _ when typeof(IGrainWithIntegerCompoundKey).IsAssignableFrom(type) => GrainKeyKind.IntegerCompound,
            _ when typeof(IGrainWithIntegerKey).IsAssignableFrom(type) => GrainKeyKind.Integer,
            _ when typeof(IGrainWithStringKey).IsAssignableFrom(type) => GrainKeyKind.String,
            _ when typeof(IGrainWithGuidKey).IsAssignableFrom(type) => GrainKeyKind.Guid,
            _ => throw new ArgumentException($"{type.FullName} does not declare a key: derive from IGrainWithIntegerKey, IGrainWithStringKey, IGrainWithGuidKey or IGrainWithIntegerCompoundKey."),
        };

        var methods = new Dictionary<MethodInfo, MethodDescriptor>();
        var byId = new Dictionary<uint, MethodDescriptor>();
        foreach (var method in new[] { type }.Concat(type.GetInterfaces()).Where(i => typeof(IGrain).IsAssignableFrom(i)).SelectMany(i => i.GetMethods()))
        {
            var descriptor = new MethodDescriptor(this, method);
            if (!byId.TryAdd(descriptor.Id, descriptor))
            {
                throw new NotSupportedException($"{type.Name}: methods {descriptor.Signature} and {byId[descriptor.Id].Signature} hash to the same wire id; rename one.");
            }

            methods[method] = descriptor;
        }

        Methods = methods.ToFrozenDictionary();
        MethodsById = byId.ToFrozenDictionary();
    }

    public Type Type { get; }

    /// <summary>The interface's full name: the grain type part of every <see cref="GrainId"/> it addresses.</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/>'s hash in this process, so a grain id read from the wire does not hash the name per request.</summary>
    public int NameHash { get; }

    public GrainKeyKind KeyKind { get; }

    public FrozenDictionary<MethodInfo, MethodDescriptor> Methods { get; }

    public FrozenDictionary<uint, MethodDescriptor> MethodsById { get; }

    public static InterfaceDescriptor For(Type type) => ByType.GetOrAdd(type, static t => new InterfaceDescriptor(t));

    /// <summary>Resolves an interface from its full name (wire side), searching loaded assemblies once per name.</summary>
    public static InterfaceDescriptor? ForName(string name)
    {
        if (_lastByName is { } last && string.Equals(last.Name, name, StringComparison.Ordinal))
        {
            return last;
        }

        var type = ByName.GetOrAdd(name, static n => AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(n, throwOnError: false))
            .FirstOrDefault(t => t is not null));
        if (type is null)
        {
            ByName.TryRemove(name, out _);
            return null;
        }

        return _lastByName = For(type);
    }
}
