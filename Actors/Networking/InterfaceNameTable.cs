using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Networking;

/// <summary>
/// Grain interface names interned per connection and direction (handshake protocol version 3): the
/// first request of an interface carries its name and a number (<c>interface_id</c>) that the
/// connection's writer assigns, later requests the number alone, and the reader puts the name back.
/// Frames of one connection arrive in the order written, so a number is always defined before its
/// first use; both tables live and die with the connection. Bounded: past <see cref="Capacity"/>
/// names, further names travel in full. Not thread-safe: one writer (the link's pump) and one
/// reader (the read loop) per connection, each with its own table.
/// </summary>
internal sealed class InterfaceNameTable
{
    public const int Capacity = 1024;

    private readonly Dictionary<string, uint> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string> _received = [];

    /// <summary>
    /// Replaces a request's interface name by its number once the number has been defined on this
    /// connection; defines it otherwise (true: the caller must write this envelope, or <see cref="Undefine"/>).
    /// </summary>
    public bool Intern(Envelope envelope)
    {
        string name = envelope.InterfaceType;
        if (name.Length == 0)
        {
            return false;
        }

        if (_sent.TryGetValue(name, out uint id))
        {
            envelope.InterfaceType = string.Empty;
            envelope.InterfaceId = id;
            return false;
        }

        if (_sent.Count >= Capacity)
        {
            return false;
        }

        id = (uint)_sent.Count + 1;
        _sent.Add(name, id);
        envelope.InterfaceId = id;
        return true;
    }

    /// <summary>Forgets the last definition <see cref="Intern"/> made, whose envelope was not written.</summary>
    public void Undefine(string name) => _sent.Remove(name);

    /// <summary>Undoes <see cref="Intern"/> on the reading end; a number used before its definition, or defined twice, is a protocol violation (returned).</summary>
    public string? Restore(Envelope envelope)
    {
        uint id = envelope.InterfaceId;
        if (id == 0)
        {
            return null;
        }

        envelope.InterfaceId = 0;
        if (envelope.InterfaceType.Length > 0)
        {
            return _received.Count < Capacity && _received.TryAdd(id, envelope.InterfaceType)
                ? null
                : $"interface number {id} defined twice or past {Capacity} names";
        }

        if (!_received.TryGetValue(id, out var name))
        {
            return $"interface number {id} used before its definition";
        }

        envelope.InterfaceType = name;
        return null;
    }
}
