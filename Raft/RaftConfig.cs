using Microsoft.Extensions.Logging;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft;

/// <summary>The parameters of one raft node (etcd/raft's Config). Call <see cref="Validate"/> or let <see cref="RawNode"/> do it.</summary>
public sealed class RaftConfig
{
    /// <summary>The node's id; must not be 0 (0 means "none").</summary>
    public ulong Id { get; init; }

    /// <summary>
    /// Ticks a follower waits without hearing from a leader before campaigning; the actual
    /// timeout is randomized in [ElectionTick, 2·ElectionTick) (Raft §5.2). Default 10.
    /// </summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats; must be less than ElectionTick. Default 1.</summary>
    public int HeartbeatTick { get; init; } = 1;

    /// <summary>The stable log and state. Required.</summary>
    public IRaftStorage? Storage { get; init; }

    /// <summary>The last applied index, on restart: entries up to it are not returned again.</summary>
    public ulong Applied { get; init; }

    /// <summary>The byte budget of one append message (at least one entry is always sent). Default 1 MiB.</summary>
    public ulong MaxSizePerMsg { get; init; } = 1024 * 1024;

    /// <summary>The byte budget of committed entries per Ready. Default unlimited.</summary>
    public ulong MaxCommittedSizePerReady { get; init; } = ulong.MaxValue;

    /// <summary>The inflight window: appends in flight to one follower in Replicate state. Default 256.</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>Run a pre-vote round before bumping the term (Raft thesis §9.6). Default false.</summary>
    public bool PreVote { get; init; }

    /// <summary>A leader steps down if it did not hear from a quorum within an election timeout (thesis §6.2). Default false.</summary>
    public bool CheckQuorum { get; init; }

    /// <summary>How ReadIndex confirms leadership. LeaseBased requires CheckQuorum.</summary>
    public ReadOnlyOption ReadOnlyOption { get; init; } = ReadOnlyOption.Safe;

    /// <summary>The seed of the randomized election timeout; null derives it from <see cref="Id"/> (still deterministic).</summary>
    public int? RandomSeed { get; init; }

    /// <summary>Receives role changes and other rare events; null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Bootstrap voters, used only when the storage has no configuration (tests and single-process bootstrap).</summary>
    internal IReadOnlyList<ulong>? Peers { get; init; }

    /// <summary>Bootstrap learners, with <see cref="Peers"/>.</summary>
    internal IReadOnlyList<ulong>? Learners { get; init; }

    /// <summary>Checks every field and throws one error naming each invalid one.</summary>
    /// <exception cref="RaftConfigException">The configuration is invalid.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Id == 0)
        {
            errors.Add("Id must not be 0 (0 is reserved for 'no node')");
        }

        if (HeartbeatTick <= 0)
        {
            errors.Add($"HeartbeatTick must be greater than 0 (was {HeartbeatTick})");
        }

        if (ElectionTick <= HeartbeatTick)
        {
            errors.Add($"ElectionTick must be greater than HeartbeatTick (was {ElectionTick} <= {HeartbeatTick})");
        }

        if (Storage is null)
        {
            errors.Add("Storage must be set");
        }

        if (MaxInflightMsgs <= 0)
        {
            errors.Add($"MaxInflightMsgs must be greater than 0 (was {MaxInflightMsgs})");
        }

        if (MaxSizePerMsg == 0)
        {
            errors.Add("MaxSizePerMsg must be greater than 0");
        }

        if (ReadOnlyOption == ReadOnlyOption.LeaseBased && !CheckQuorum)
        {
            errors.Add("CheckQuorum must be enabled when ReadOnlyOption is LeaseBased");
        }

        if (errors.Count > 0)
        {
            throw new RaftConfigException(errors);
        }
    }
}
