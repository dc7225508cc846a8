namespace TinyKv.Actors;

/// <summary>A grain threw an exception whose type cannot be rebuilt on the caller's side.</summary>
public sealed class RemoteGrainException : Exception
{
    public RemoteGrainException()
    {
    }

    public RemoteGrainException(string message)
        : base(message)
    {
        RemoteType = string.Empty;
        RemoteStackTrace = string.Empty;
    }

    public RemoteGrainException(string message, Exception inner)
        : base(message, inner)
    {
        RemoteType = string.Empty;
        RemoteStackTrace = string.Empty;
    }

    public RemoteGrainException(string remoteType, string message, string remoteStackTrace)
        : base(message)
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The assembly-qualified name of the exception the grain threw.</summary>
    public string RemoteType { get; } = string.Empty;

    public string RemoteStackTrace { get; } = string.Empty;
}
