using TinyKv.Transactions.Actions;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Commands;

/// <summary>The outcome of a snapshot read: <see cref="Value"/> is null when the key has no visible value.</summary>
public readonly record struct GetResult(byte[]? Value, TxnError? Error)
{
    public bool NotFound => Value is null && Error is null;
}

public sealed partial class TxnStore
{
    /// <summary>Snapshot read at <paramref name="readTs"/> (<see cref="TxnActions.Get"/>); takes no latches.</summary>
    public GetResult Get(byte[] userKey, TimeStamp readTs)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        using var snapshot = _engine.Snapshot();
        using var reader = new MvccReader(snapshot, _borrowedReads);
        var error = TxnActions.Get(reader, userKey, readTs, out byte[]? value);
        return new GetResult(value, error);
    }

    /// <summary>Snapshot scan (<see cref="TxnActions.Scan"/>); takes no latches.</summary>
    public List<KvPair> Scan(byte[]? lowerKey, byte[]? upperKey, TimeStamp readTs, int limit, bool reverse = false)
    {
        using var snapshot = _engine.Snapshot();
        return TxnActions.Scan(snapshot, lowerKey, upperKey, readTs, limit, reverse);
    }
}
