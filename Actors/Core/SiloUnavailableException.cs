namespace TinyKv.Actors;

/// <summary>The silo a call was sent to is dead, stopping or unreachable; the call may be retried.</summary>
public sealed class SiloUnavailableException : Exception
{
    public SiloUnavailableException()
    {
    }

    public SiloUnavailableException(string message)
        : base(message)
    {
    }

    public SiloUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
