namespace TinyKv.Transactions.Mvcc;

/// <summary>One result of a scan: a user key with its value, or with the error (a lock) that hides it.</summary>
public readonly record struct KvPair(byte[] Key, byte[]? Value, TxnError? Error)
{
    public override string ToString() =>
        Error is null ? $"{Convert.ToHexString(Key)}={Convert.ToHexString(Value ?? [])}" : $"{Convert.ToHexString(Key)}: {Error}";
}
