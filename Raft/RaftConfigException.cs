namespace TinyKv.Raft;

/// <summary>An invalid <see cref="RaftConfig"/>: bad input from the caller, reported before any state is created.</summary>
public sealed class RaftConfigException(IReadOnlyList<string> errors)
    : ArgumentException("invalid raft config: " + string.Join("; ", errors))
{
    /// <summary>One line per invalid field.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
