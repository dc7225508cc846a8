using TinyKv.Transactions.Actions;

namespace TinyKv.Transactions.Commands;

public sealed partial class TxnStore
{
    /// <summary>
    /// Rolls back txn <paramref name="startTs"/> on <paramref name="userKeys"/>
    /// (<see cref="TxnActions.Rollback"/> per key): idempotent, leaves other transactions' locks
    /// alone, and records rollbacks even where no lock exists. All or nothing: the first failing
    /// key's error (<see cref="AlreadyCommitted"/>) is returned and nothing is written.
    /// </summary>
    public ValueTask<TxnError?> BatchRollbackAsync(
        TimeStamp startTs,
        IReadOnlyList<byte[]> userKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKeys);
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
            0,
            static (txn, reader, key, _) => TxnActions.Rollback(txn, reader, key),
            cancellationToken);
    }
}
