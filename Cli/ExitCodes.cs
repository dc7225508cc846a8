namespace TinyKv.Cli;

/// <summary>The process exit codes of <c>tinykv</c>; scripts rely on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary><c>get</c> of a key that does not exist.</summary>
    public const int NotFound = 1;

    /// <summary>Bad arguments (unknown command or option, bad hex, bad number).</summary>
    public const int Usage = 2;

    /// <summary>No silo reachable at the endpoint, or it refused this client (cluster id).</summary>
    public const int Unreachable = 3;

    /// <summary>The store refused the request with an error code (key too large, unknown column family, ...).</summary>
    public const int Refused = 4;

    /// <summary>An unexpected failure (a bug or a version mismatch between client and silo).</summary>
    public const int Internal = 5;
}
