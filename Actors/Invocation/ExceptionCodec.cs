using System.Reflection;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Invocation;

/// <summary>
/// Exceptions on the wire: type name, message and the remote stack trace. The caller gets an
/// exception of the same type with the same message when that type is loadable and has a
/// (string) constructor, otherwise a <see cref="RemoteGrainException"/> naming the type.
/// </summary>
internal static class ExceptionCodec
{
    public static ExceptionInfo Write(Exception exception) => new()
    {
        Type = exception.GetType().AssemblyQualifiedName ?? exception.GetType().FullName ?? "System.Exception",
        Message = exception.Message,
        StackTrace = exception.StackTrace ?? string.Empty,
    };

    public static Exception Read(ExceptionInfo info)
    {
        var type = Type.GetType(info.Type, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type))
        {
            var ctor = type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string)]);
            if (ctor is not null)
            {
                return (Exception)ctor.Invoke([info.Message]);
            }
        }

        return new RemoteGrainException(info.Type, info.Message, info.StackTrace);
    }
}
