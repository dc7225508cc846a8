using System.Buffers.Binary;
using System.Collections.Concurrent;
using Google.Protobuf;
using TinyKv.Actors.Invocation;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Runtime;

/// <summary>Message ↔ Envelope: the one place the wire form of a call is defined (version 1).</summary>
internal static class EnvelopeCodec
{
    public const uint Version = 1;

    /// <summary>Bound of <see cref="AddressProtos"/>: far above the nodes one process talks to; reached only by churn, then it starts over.</summary>
    private const int MaxCachedAddresses = 1024;

    /// <summary>
    /// The wire form of each address, built once: every envelope carries one or two addresses, and
    /// building them per envelope was a measurable share of a call's allocations. Shared instances:
    /// an envelope's address fields are never mutated after it is built (only read by serialization).
    /// </summary>
    private static readonly ConcurrentDictionary<SiloAddress, SiloAddressProto> AddressProtos = new();

    public static SiloAddressProto Write(SiloAddress address) => address.WireForm ??= Shared(address);

    private static SiloAddressProto Shared(SiloAddress address)
    {
        if (AddressProtos.TryGetValue(address, out var proto))
        {
            return proto;
        }

        if (AddressProtos.Count >= MaxCachedAddresses)
        {
            AddressProtos.Clear();
        }

        return AddressProtos.GetOrAdd(address, static a => new SiloAddressProto { Host = a.Host, Port = a.Port, Generation = a.Generation, SharedAddress = a });
    }

    /// <summary>The address <paramref name="proto"/> names; a shared instance of <see cref="Write(SiloAddress)"/> maps back without allocating.</summary>
    public static SiloAddress Read(SiloAddressProto proto) =>
        proto.SharedAddress ?? new(proto.Host, proto.Port, proto.Generation);

    /// <summary>True when <paramref name="proto"/> names <paramref name="address"/> (compared field by field, nothing allocated).</summary>
    public static bool Is(SiloAddressProto proto, SiloAddress address) =>
        ReferenceEquals(proto, address.WireForm) || proto.Port == address.Port && proto.Generation == address.Generation && string.Equals(proto.Host, address.Host, StringComparison.Ordinal);

    public static GrainIdProto Write(GrainId id) => Write(id, null);

    /// <summary>
    /// The wire form of <paramref name="id"/>; its type is left empty when it is <paramref name="impliedType"/>
    /// (a request's interface, which names the grain type in nearly every call): the name then crosses
    /// the wire once, and the receiver parses one string per request instead of two.
    /// </summary>
    public static GrainIdProto Write(GrainId id, string? impliedType) => new()
    {
        Type = string.Equals(id.Type, impliedType, StringComparison.Ordinal) ? string.Empty : id.Type,
        KeyKind = (int)id.KeyKind,
        IntKey = id.IntegerKey,
        GuidKey = id.GuidKey == Guid.Empty ? ByteString.Empty : ByteString.CopyFrom(id.GuidKey.ToByteArray()),
        StringKey = id.StringKey ?? string.Empty,
    };

    public static GrainId Read(GrainIdProto proto) => Read(proto, null);

    /// <summary>Reads a grain id whose empty type stands for <paramref name="impliedType"/> (see <see cref="Write(GrainId, string?)"/>).</summary>
    public static GrainId Read(GrainIdProto proto, string? impliedType)
    {
        string type = proto.Type.Length == 0 && impliedType is not null ? impliedType : proto.Type;
        return Read(proto, type, type.GetHashCode());
    }

    /// <summary>A request's target: its usual empty type is <paramref name="iface"/>'s name, whose hash the descriptor keeps.</summary>
    private static GrainId ReadTarget(GrainIdProto proto, InterfaceDescriptor iface) =>
        proto.Type.Length == 0 ? Read(proto, iface.Name, iface.NameHash) : Read(proto, null);

    private static GrainId Read(GrainIdProto proto, string type, int typeHash)
    {
        var kind = (GrainKeyKind)proto.KeyKind;
        return GrainId.FromParts(
            type,
            typeHash,
            kind,
            proto.IntKey,
            proto.GuidKey.IsEmpty ? Guid.Empty : new Guid(proto.GuidKey.Span),
            kind is GrainKeyKind.String or GrainKeyKind.IntegerCompound ? proto.StringKey : null);
    }

    public static Envelope WriteRequest(Message message)
    {
        var method = message.Method!;
        var envelope = new Envelope
        {
            Version = Version,
            Id = message.Id,
            Kind = message.Kind == MessageKind.OneWay ? EnvelopeKind.OneWay : EnvelopeKind.Request,
            Sender = Write(message.Sender),
            TargetGrain = Write(message.TargetGrain, method.Interface.Name),
            InterfaceType = method.Interface.Name,
            MethodId = method.Id,
            ForwardCount = message.ForwardCount,
            ReadOnly = message.IsReadOnly,
            AlwaysInterleave = message.IsAlwaysInterleave,
        };
        if (message.TargetSilo is { } target)
        {
            envelope.TargetSilo = Write(target);
        }

        (envelope.CallChainLow, envelope.CallChainHigh) = WriteCallChain(message.CallChainId);

        envelope.Arguments.Capacity = message.Arguments.Length;
        for (int i = 0; i < message.Arguments.Length; i++)
        {
            envelope.Arguments.Add(method.ArgumentCodecs[i].Write(message.Arguments[i]));
        }

        if (message.Values is { } context)
        {
            foreach (var (key, value) in context)
            {
                envelope.RequestContext.Add(new RequestContextEntry { Key = key, Value = WriteContextValue(value) });
            }
        }

        return envelope;
    }

    /// <summary>Parses a request; a missing interface or method, or a bad argument, is an <see cref="InvalidDataException"/>.</summary>
    public static Message ReadRequest(Envelope envelope) => ReadRequest(envelope, null);

    /// <summary>As <see cref="ReadRequest(Envelope)"/>; <paramref name="sender"/> is the envelope's sender when the receiver already read it.</summary>
    public static Message ReadRequest(Envelope envelope, SiloAddress? sender)
    {
        var iface = InterfaceDescriptor.ForName(envelope.InterfaceType)
            ?? throw new InvalidDataException($"Unknown grain interface '{envelope.InterfaceType}'.");
        if (!iface.MethodsById.TryGetValue(envelope.MethodId, out var method))
        {
            throw new InvalidDataException($"Grain interface {iface.Name} has no method with id {envelope.MethodId}.");
        }

        if (envelope.Arguments.Count != method.ArgumentCodecs.Length)
        {
            throw new InvalidDataException($"{method}: {envelope.Arguments.Count} arguments on the wire, {method.ArgumentCodecs.Length} expected.");
        }

        var args = new object?[envelope.Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = method.ArgumentCodecs[i].Read(envelope.Arguments[i]);
        }

        Dictionary<string, object>? context = null;
        if (envelope.RequestContext.Count > 0)
        {
            context = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var entry in envelope.RequestContext)
            {
                context[entry.Key] = ReadContextValue(entry.Value ?? new ContextValue());
            }
        }

        return new Message
        {
            Id = envelope.Id,
            Kind = envelope.Kind == EnvelopeKind.OneWay ? MessageKind.OneWay : MessageKind.Request,
            Sender = sender ?? Read(envelope.Sender),
            TargetSilo = envelope.TargetSilo is null ? null : Read(envelope.TargetSilo),
            TargetGrain = ReadTarget(envelope.TargetGrain, iface),
            Method = method,
            Arguments = args,
            Values = context,
            CallChainId = ReadCallChain(envelope.CallChainLow, envelope.CallChainHigh),
            ForwardCount = envelope.ForwardCount,
            IsReadOnly = envelope.ReadOnly,
            IsAlwaysInterleave = envelope.AlwaysInterleave,
        };
    }

    public static Envelope WriteResponse(ulong id, SiloAddress sender, SiloAddress target, MethodDescriptor? method, object? result, Exception? exception)
    {
        var envelope = new Envelope
        {
            Version = Version,
            Id = id,
            Kind = EnvelopeKind.Response,
            Sender = Write(sender),
            TargetSilo = Write(target),
        };
        if (exception is not null)
        {
            envelope.Exception = ExceptionCodec.Write(exception);
        }
        else if (method?.ResultCodec is { } codec)
        {
            try
            {
                envelope.Result = codec.Write(result);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidCastException)
            {
                envelope.Exception = ExceptionCodec.Write(e);
            }
        }

        return envelope;
    }

    public static Envelope WriteControl(EnvelopeKind kind, ulong id, SiloAddress sender, SiloAddress target) => new()
    {
        Version = Version,
        Id = id,
        Kind = kind,
        Sender = Write(sender),
        TargetSilo = Write(target),
    };

    private static (ulong Low, ulong High) WriteCallChain(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
    }

    private static Guid ReadCallChain(ulong low, ulong high)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, low);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], high);
        return new Guid(bytes);
    }

    private static ContextValue WriteContextValue(object value) => value switch
    {
        string s => new ContextValue { Text = s },
        long l => new ContextValue { Integer = l },
        int i => new ContextValue { Integer = i },
        bool b => new ContextValue { Flag = b },
        double d => new ContextValue { Number = d },
        byte[] bytes => new ContextValue { Blob = ByteString.CopyFrom(bytes) },
        _ => throw new NotSupportedException($"RequestContext value of type {value.GetType().Name} has no wire form."),
    };

    private static object ReadContextValue(ContextValue value) => value.ValueCase switch
    {
        ContextValue.ValueOneofCase.Text => value.Text,
        ContextValue.ValueOneofCase.Integer => value.Integer,
        ContextValue.ValueOneofCase.Flag => value.Flag,
        ContextValue.ValueOneofCase.Number => value.Number,
        ContextValue.ValueOneofCase.Blob => value.Blob.ToByteArray(),
        _ => throw new InvalidDataException("Empty RequestContext value."),
    };
}
