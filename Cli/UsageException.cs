namespace TinyKv.Cli;

/// <summary>An argument the parser accepted but the command cannot use (bad hex, for instance).</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
