using TinyKv.Storage;
using TinyKv.Storage.Memory;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Commands;
using TinyKv.Transactions.Mvcc;

namespace TinyKv.Transactions.Tests;

/// <summary>
/// A store under test with <c>Must*</c> helpers that read like the Percolator paper: each runs
/// one command through <see cref="TxnStore"/> on a <see cref="MemoryEngine"/> and asserts its outcome.
/// <c>Seed*</c> helpers write fixture records straight into the engine, bypassing the protocol.
/// </summary>
internal sealed class Percolator : IDisposable
{
    /// <param name="shortValueMaxLength">
    /// The store's <see cref="TxnStore.ShortValueMaxLength"/>. The default, negative, is TinyKV's
    /// layout (every value in CF default), which the CF counts of the 4B/4C scenarios assume.
    /// </param>
    public Percolator(int shortValueMaxLength = -1)
    {
        Engine = new MemoryEngine();
        Store = new TxnStore(Engine, shortValueMaxLength: shortValueMaxLength);
    }

    public MemoryEngine Engine { get; }

    public TxnStore Store { get; }

    public static byte[] K(params byte[] bytes) => bytes;

    public static byte[] K(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    // Fixtures: raw records.

    public Task SeedValueAsync(byte[] key, TimeStamp startTs, byte[] value) =>
        WriteAsync(b => b.Put(ColumnFamily.Default, MvccKey.Encode(key, startTs), value));

    public Task SeedWriteAsync(byte[] key, TimeStamp commitTs, Write write) =>
        WriteAsync(b => b.Put(ColumnFamily.Write, MvccKey.Encode(key, commitTs), write.ToBytes()));

    public Task SeedLockAsync(byte[] key, Lock @lock) =>
        WriteAsync(b => b.Put(ColumnFamily.Lock, MvccKey.Encode(key), @lock.ToBytes()));

    /// <summary>A value committed by txn <paramref name="startTs"/> at <paramref name="commitTs"/>.</summary>
    public async Task SeedCommittedAsync(byte[] key, byte[] value, TimeStamp startTs, TimeStamp commitTs)
    {
        await SeedValueAsync(key, startTs, value);
        await SeedWriteAsync(key, commitTs, new Write(WriteKind.Put, startTs));
    }

    /// <summary>A prewritten Put of txn <paramref name="startTs"/>: its lock and its value.</summary>
    public async Task SeedPrewrittenAsync(byte[] key, byte[] value, byte[] primary, TimeStamp startTs, ulong ttl = 0)
    {
        await SeedValueAsync(key, startTs, value);
        await SeedLockAsync(key, new Lock(LockKind.Put, primary, startTs, ttl));
    }

    // Prewrite.

    public Task MustPrewritePutAsync(byte[] key, byte[] value, byte[] primary, TimeStamp startTs, ulong ttl = 0, TimeStamp minCommitTs = default) =>
        MustPrewriteAsync(Mutation.Put(key, value), primary, startTs, ttl, minCommitTs);

    public Task MustPrewriteDeleteAsync(byte[] key, byte[] primary, TimeStamp startTs, ulong ttl = 0) =>
        MustPrewriteAsync(Mutation.Delete(key), primary, startTs, ttl);

    public Task MustPrewriteLockAsync(byte[] key, byte[] primary, TimeStamp startTs, ulong ttl = 0) =>
        MustPrewriteAsync(Mutation.Lock(key), primary, startTs, ttl);

    public async Task MustPrewriteAsync(Mutation mutation, byte[] primary, TimeStamp startTs, ulong ttl = 0, TimeStamp minCommitTs = default)
    {
        var errors = await Store.PrewriteAsync([mutation], new TxnProps(startTs, primary, ttl, minCommitTs));
        Assert.True(errors.Count == 0, $"prewrite of {Hex(mutation.Key)} by txn {startTs} failed: {string.Join("; ", errors)}");
    }

    public async Task<TxnError> MustPrewriteErrAsync(Mutation mutation, byte[] primary, TimeStamp startTs, ulong ttl = 0)
    {
        var errors = await Store.PrewriteAsync([mutation], new TxnProps(startTs, primary, ttl));
        return Assert.Single(errors);
    }

    // Commit and rollback.

    public async Task MustCommitAsync(byte[] key, TimeStamp startTs, TimeStamp commitTs)
    {
        var error = await Store.CommitAsync(startTs, [key], commitTs);
        Assert.True(error is null, $"commit of {Hex(key)} by txn {startTs} at {commitTs} failed: {error}");
    }

    public async Task<TxnError> MustCommitErrAsync(byte[] key, TimeStamp startTs, TimeStamp commitTs)
    {
        var error = await Store.CommitAsync(startTs, [key], commitTs);
        Assert.True(error is not null, $"commit of {Hex(key)} by txn {startTs} at {commitTs} should have failed");
        return error;
    }

    public async Task MustRollbackAsync(byte[] key, TimeStamp startTs)
    {
        var error = await Store.BatchRollbackAsync(startTs, [key]);
        Assert.True(error is null, $"rollback of {Hex(key)} by txn {startTs} failed: {error}");
    }

    public async Task<TxnError> MustRollbackErrAsync(byte[] key, TimeStamp startTs)
    {
        var error = await Store.BatchRollbackAsync(startTs, [key]);
        Assert.True(error is not null, $"rollback of {Hex(key)} by txn {startTs} should have failed");
        return error;
    }

    public async Task<TxnStatus> MustCheckTxnStatusAsync(byte[] primary, TimeStamp lockTs, TimeStamp callerStartTs, TimeStamp currentTs, bool rollbackIfNotExist = true)
    {
        var result = await Store.CheckTxnStatusAsync(primary, lockTs, callerStartTs, currentTs, rollbackIfNotExist);
        Assert.True(result.Error is null, $"check-txn-status of txn {lockTs} on {Hex(primary)} failed: {result.Error}");
        return result.Status!;
    }

    // Reads.

    public void MustGet(byte[] key, TimeStamp readTs, byte[] expected)
    {
        var result = Store.Get(key, readTs);
        Assert.True(result.Error is null, $"get {Hex(key)} at {readTs} failed: {result.Error}");
        Assert.True(result.Value is not null, $"get {Hex(key)} at {readTs}: expected {Hex(expected)}, found nothing");
        Assert.Equal(expected, result.Value);
    }

    public void MustGetNone(byte[] key, TimeStamp readTs)
    {
        var result = Store.Get(key, readTs);
        Assert.True(result.NotFound, $"get {Hex(key)} at {readTs}: expected nothing, got {Hex(result.Value ?? [])} / {result.Error}");
    }

    public TxnError MustGetErr(byte[] key, TimeStamp readTs)
    {
        var result = Store.Get(key, readTs);
        Assert.True(result.Error is not null, $"get {Hex(key)} at {readTs} should have failed");
        return result.Error;
    }

    // State.

    public Lock MustLocked(byte[] key, TimeStamp startTs)
    {
        using var snapshot = Engine.Snapshot();
        using var reader = new MvccReader(snapshot);
        var @lock = reader.LoadLock(MvccKey.Encode(key));
        Assert.True(@lock is not null, $"key {Hex(key)} should be locked by txn {startTs}, it is not locked");
        Assert.Equal(startTs, @lock.StartTs);
        return @lock;
    }

    public void MustUnlocked(byte[] key)
    {
        using var snapshot = Engine.Snapshot();
        using var reader = new MvccReader(snapshot);
        var @lock = reader.LoadLock(MvccKey.Encode(key));
        Assert.True(@lock is null, $"key {Hex(key)} should be unlocked, found {@lock}");
    }

    /// <summary>The record at key+<paramref name="commitTs"/> is of <paramref name="kind"/> and belongs to txn <paramref name="startTs"/>.</summary>
    public Write MustWritten(byte[] key, TimeStamp startTs, TimeStamp commitTs, WriteKind kind)
    {
        using var snapshot = Engine.Snapshot();
        using var reader = new MvccReader(snapshot);
        var write = reader.GetWriteAt(MvccKey.Encode(key), commitTs);
        Assert.True(write is not null, $"key {Hex(key)} has no write record at {commitTs}");
        Assert.Equal(kind, write.Value.Kind);
        Assert.Equal(startTs, write.Value.StartTs);
        return write.Value;
    }

    /// <summary>The status CF write records for txn <paramref name="startTs"/> on the key.</summary>
    public TxnCommitRecord CommitRecord(byte[] key, TimeStamp startTs)
    {
        using var snapshot = Engine.Snapshot();
        using var reader = new MvccReader(snapshot);
        return reader.GetTxnCommitRecord(MvccKey.Encode(key), startTs);
    }

    public void MustRolledBack(byte[] key, TimeStamp startTs) =>
        Assert.True(CommitRecord(key, startTs).IsRolledBack, $"txn {startTs} should be rolled back on {Hex(key)}");

    /// <summary>The number of entries in CF default, lock and write (TinyKV's <c>assertLens</c>).</summary>
    public void AssertCounts(int defaults, int locks, int writes)
    {
        Assert.Equal((defaults, locks, writes), (Count(ColumnFamily.Default), Count(ColumnFamily.Lock), Count(ColumnFamily.Write)));
    }

    public int Count(ColumnFamily cf)
    {
        using var snapshot = Engine.Snapshot();
        using var it = snapshot.NewIterator(cf);
        int n = 0;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            n++;
        }

        return n;
    }

    public void Dispose() => Engine.Dispose();

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private async Task WriteAsync(Action<WriteBatch> fill)
    {
        var batch = new WriteBatch();
        fill(batch);
        await Engine.WriteAsync(batch);
    }
}
