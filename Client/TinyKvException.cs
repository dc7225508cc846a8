using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

/// <summary>The store answered a request with an error; <see cref="Code"/> is stable.</summary>
public class TinyKvException : Exception
{
    public TinyKvException()
    {
    }

    public TinyKvException(string message)
        : base(message)
    {
    }

    public TinyKvException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TinyKvException(ErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ErrorCode Code { get; }
}

/// <summary>No silo could be reached (after retries), or the silos refused this client (wrong cluster id or secret).</summary>
public sealed class TinyKvUnavailableException : Exception
{
    public TinyKvUnavailableException()
    {
    }

    public TinyKvUnavailableException(string message)
        : base(message)
    {
    }

    public TinyKvUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when a silo answered but refused the handshake (cluster id or secret).</summary>
    public bool Refused { get; init; }
}
