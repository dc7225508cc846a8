using TinyKv.Transactions.Actions;

namespace TinyKv.Transactions.Commands;

/// <summary>The outcome of a heartbeat: the primary lock's TTL after it, or an error.</summary>
public readonly record struct TxnHeartBeatResult(ulong LockTtl, TxnError? Error);

public sealed partial class TxnStore
{
    /// <summary>Raises txn <paramref name="startTs"/>'s primary lock TTL to <paramref name="adviseTtl"/> ms (<see cref="TxnActions.TxnHeartBeat"/>).</summary>
    public ValueTask<TxnHeartBeatResult> TxnHeartBeatAsync(
        byte[] primaryKey,
        TimeStamp startTs,
        ulong adviseTtl,
        CancellationToken cancellationToken = default)
    {
        if (ValidateKeys([primaryKey]) is { } invalid)
        {
            return new(new TxnHeartBeatResult(0, invalid));
        }

        return ExecuteAsync(
            RentContext(primaryKey),
            startTs,
            (primaryKey, adviseTtl),
            static (txn, reader, s) =>
            {
                var error = TxnActions.TxnHeartBeat(txn, reader, s.primaryKey, s.adviseTtl, out ulong ttl);
                return new TxnHeartBeatResult(ttl, error);
            },
            cancellationToken);
    }
}
