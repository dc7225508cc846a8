using TinyKv.Storage;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Commands;

/// <summary>Malformed requests get <see cref="InvalidRequest"/> and leave the store untouched.</summary>
public sealed class InvalidRequestTests : IDisposable
{
    private static readonly byte[] Huge = new byte[StorageLimits.MaxKeySize + 1];

    private readonly Percolator _db = new();

    public static TheoryData<string> Commands() => ["prewrite-key", "prewrite-primary", "commit", "rollback", "check", "heartbeat", "resolve"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Oversized_keys_and_bad_timestamps_are_rejected_without_writing(string command)
    {
        await _db.SeedPrewrittenAsync(K(1), [1], K(1), 10);
        TxnError? error = command switch
        {
            "prewrite-key" => Assert.Single(await _db.Store.PrewriteAsync([Mutation.Put(Huge, [1])], new TxnProps(20, K(1), 0))),
            "prewrite-primary" => Assert.Single(await _db.Store.PrewriteAsync([Mutation.Put(K(2), [1])], new TxnProps(20, Huge, 0))),
            "commit" => await _db.Store.CommitAsync(10, [K(1), Huge], 20),
            "rollback" => await _db.Store.BatchRollbackAsync(10, [K(1), Huge]),
            "check" => (await _db.Store.CheckTxnStatusAsync(Huge, 10, 0, 30)).Error,
            "heartbeat" => (await _db.Store.TxnHeartBeatAsync(Huge, 10, 100)).Error,
            "resolve" => await _db.Store.ResolveLockAsync(10, 10),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        Assert.Equal(TxnErrorCode.InvalidRequest, error?.Code);
        Assert.False(string.IsNullOrEmpty(error!.Message));
        _db.AssertCounts(1, 1, 0);
        _db.MustLocked(K(1), 10);
    }

    public void Dispose() => _db.Dispose();
}
