using TinyKv.Transactions.Actions;

namespace TinyKv.Transactions.Commands;

/// <summary>The outcome of a status check: exactly one of <see cref="Status"/> and <see cref="Error"/> is set.</summary>
public readonly record struct CheckTxnStatusResult(TxnStatus? Status, TxnError? Error);

public sealed partial class TxnStore
{
    /// <summary>
    /// Checks, and where the rules say so settles, the fate of txn <paramref name="lockTs"/> on
    /// its primary key (<see cref="TxnActions.CheckTxnStatus"/>), under the primary's latch.
    /// </summary>
    /// <param name="callerStartTs">The start ts of the reader asking (may push min commit ts), or zero.</param>
    /// <param name="currentTs">A fresh TSO timestamp: TTL expiry is judged against its physical part.</param>
    public ValueTask<CheckTxnStatusResult> CheckTxnStatusAsync(
        byte[] primaryKey,
        TimeStamp lockTs,
        TimeStamp callerStartTs,
        TimeStamp currentTs,
        bool rollbackIfNotExist = true,
        CancellationToken cancellationToken = default)
    {
        if (ValidateKeys([primaryKey]) is { } invalid)
        {
            return new(new CheckTxnStatusResult(null, invalid));
        }

        return ExecuteAsync(
            RentContext(primaryKey),
            lockTs,
            (primaryKey, callerStartTs, currentTs, rollbackIfNotExist),
            static (txn, reader, s) =>
            {
                var error = TxnActions.CheckTxnStatus(txn, reader, s.primaryKey, s.callerStartTs, s.currentTs, s.rollbackIfNotExist, out var status);
                return new CheckTxnStatusResult(status, error);
            },
            cancellationToken);
    }
}
