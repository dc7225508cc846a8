using TinyKv.Storage;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>TinyKV 4A: each MvccTxn method buffers exactly one modification and reads nothing.</summary>
public sealed class MvccTxnTests
{
    private static readonly byte[] Key = [1];

    [Fact]
    public void PutLock_buffers_one_put_in_cf_lock_under_the_encoded_key()
    {
        var txn = new MvccTxn(100);
        var @lock = new Lock(LockKind.Rollback, [16], 100, 100000);
        txn.PutLock(MvccKey.Encode(Key), @lock);
        AssertSingle(txn, WriteOpKind.Put, ColumnFamily.Lock, MvccKey.Encode(Key), @lock.ToBytes());
    }

    [Fact]
    public void PutWrite_buffers_one_put_in_cf_write_at_the_commit_ts()
    {
        var txn = new MvccTxn(100);
        var write = new Write(WriteKind.Delete, 100);
        txn.PutWrite(MvccKey.Encode(Key), 0, write);
        AssertSingle(txn, WriteOpKind.Put, ColumnFamily.Write, MvccKey.Encode(Key, 0), write.ToBytes());
    }

    [Fact]
    public void PutValue_buffers_one_put_in_cf_default_at_the_start_ts()
    {
        var txn = new MvccTxn(453325345);
        txn.PutValue(MvccKey.Encode(Key), [1, 1, 2, 3, 5, 8, 13]);
        AssertSingle(txn, WriteOpKind.Put, ColumnFamily.Default, MvccKey.Encode(Key, 453325345), [1, 1, 2, 3, 5, 8, 13]);
    }

    [Fact]
    public void UnlockKey_buffers_one_delete_in_cf_lock()
    {
        var txn = new MvccTxn(100);
        txn.UnlockKey(MvccKey.Encode(Key));
        AssertSingle(txn, WriteOpKind.Delete, ColumnFamily.Lock, MvccKey.Encode(Key), []);
    }

    [Fact]
    public void DeleteValue_buffers_one_delete_in_cf_default_at_the_start_ts()
    {
        var txn = new MvccTxn(63454245);
        txn.DeleteValue(MvccKey.Encode(Key));
        AssertSingle(txn, WriteOpKind.Delete, ColumnFamily.Default, MvccKey.Encode(Key, 63454245), []);
    }

    [Fact]
    public void Discard_drops_every_buffered_write()
    {
        var txn = new MvccTxn(1);
        txn.PutValue(MvccKey.Encode(Key), [1]);
        txn.UnlockKey(MvccKey.Encode(Key));
        txn.Discard();
        Assert.True(txn.IsEmpty);
    }

    private static void AssertSingle(MvccTxn txn, WriteOpKind kind, ColumnFamily cf, byte[] key, byte[] value)
    {
        var op = Assert.Single(txn.Modifications.Operations);
        Assert.Equal(kind, op.Kind);
        Assert.Equal(cf, op.Cf);
        Assert.Equal(key, op.Key);
        Assert.Equal(value, op.Value);
    }
}
