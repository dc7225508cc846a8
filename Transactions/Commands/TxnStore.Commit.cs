using TinyKv.Transactions.Actions;

namespace TinyKv.Transactions.Commands;

public sealed partial class TxnStore
{
    /// <summary>
    /// Commits <paramref name="userKeys"/> of txn <paramref name="startTs"/> at
    /// <paramref name="commitTs"/> (<see cref="TxnActions.Commit"/> per key). All or nothing: the
    /// first failing key's error is returned and nothing is written.
    /// </summary>
    /// <returns>Null on success; <see cref="InvalidRequest"/> when the commit ts is not after the start ts or a key is malformed.</returns>
    public ValueTask<TxnError?> CommitAsync(
        TimeStamp startTs,
        IReadOnlyList<byte[]> userKeys,
        TimeStamp commitTs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKeys);
        if (commitTs <= startTs)
        {
            return new(new InvalidRequest($"commit ts {commitTs} must be after start ts {startTs}"));
        }

        if (ValidateKeys(userKeys) is { } invalid)
        {
            return new(invalid);
        }

        if (userKeys.Count == 0)
        {
            return new((TxnError?)null);
        }

        return ExecuteForEachKeyAsync(
            userKeys,
            startTs,
            commitTs,
            static (txn, reader, key, commitTs) => TxnActions.Commit(txn, reader, key, commitTs),
            cancellationToken);
    }
}
