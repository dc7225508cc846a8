using TinyKv.Client;

namespace TinyKv.Service.Tests.InProcess;

/// <summary>
/// Batch commands: the grain answers each command on its own and writes the valid ones in one engine
/// batch; the client coalesces concurrent commands into one call while its calls are outstanding.
/// </summary>
public sealed class BatchCommandsTests
{
    [Fact]
    public async Task EachCommandIsAnsweredOnItsOwnAndABadOneWritesNothing()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await kv.PutDirectAsync(Storage.ColumnFamily.Default, [9], [90]);
        var request = new RawBatchCommandsRequest();
        request.Commands.Add(new RawCommand { Put = new RawPutRequest { Key = Bytes(1), Value = Bytes(10) } });
        request.Commands.Add(new RawCommand { Put = new RawPutRequest { Key = Bytes(2), Value = Bytes(20), Cf = "nope" } });
        request.Commands.Add(new RawCommand { Put = new RawPutRequest { Key = ByteString.CopyFrom(new byte[RawKvLimits.MaxKeySize + 1]), Value = Bytes(30) } });
        request.Commands.Add(new RawCommand { Put = new RawPutRequest { Key = Bytes(3), Value = Bytes(30), Cf = "lock" } });
        request.Commands.Add(new RawCommand { Delete = new RawDeleteRequest { Key = Bytes(3), Cf = "lock" } });
        request.Commands.Add(new RawCommand { Get = new RawGetRequest { Key = Bytes(9) } });
        request.Commands.Add(new RawCommand { Get = new RawGetRequest { Key = Bytes(8) } });
        request.Commands.Add(new RawCommand { Get = new RawGetRequest { Key = Bytes(9), Cf = "meta" } });

        var response = await kv.Grain.RawBatchCommandsAsync(request);

        Assert.Null(response.Error);
        Assert.Equal(
            [ErrorCode.None, ErrorCode.UnknownColumnFamily, ErrorCode.KeyTooLarge, ErrorCode.None, ErrorCode.None, ErrorCode.None, ErrorCode.None, ErrorCode.UnknownColumnFamily],
            response.Responses.Select(r => (r.Put?.Error ?? r.Delete?.Error ?? r.Get?.Error)?.Code ?? ErrorCode.None));
        Assert.Equal(new byte[] { 90 }, response.Responses[5].Get.Value.ToByteArray());
        Assert.True(response.Responses[6].Get.NotFound);
        Assert.Equal(new byte[] { 10 }, kv.GetDirect(Storage.ColumnFamily.Default, [1]));
        Assert.Null(kv.GetDirect(Storage.ColumnFamily.Default, [2]));
        Assert.Null(kv.GetDirect(Storage.ColumnFamily.Lock, [3]));
    }

    [Fact]
    public async Task TooManyCommandsAreRefusedAsAWhole()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        var request = new RawBatchCommandsRequest();
        for (int i = 0; i <= RawKvLimits.MaxBatchCount; i++)
        {
            request.Commands.Add(new RawCommand { Put = new RawPutRequest { Key = Bytes(1), Value = Bytes(1) } });
        }

        var response = await kv.Grain.RawBatchCommandsAsync(request);

        Assert.Equal(ErrorCode.InvalidArgument, response.Error?.Code);
        Assert.Empty(response.Responses);
        Assert.Null(kv.GetDirect(Storage.ColumnFamily.Default, [1]));
    }

    [Fact]
    public async Task PutsIssuedWhileACallIsOutstandingShareOneWriteBatchAndEachGetsItsAnswer()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { MaxBatchesInFlight = 1 });

        var first = client.PutAsync([0], [0]);
        await engine.SyncRequested.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = Enumerable.Range(1, 10).Select(i => client.PutAsync([(byte)i], [(byte)i])).ToList();
        var refused = client.PutAsync([11], [11], cf: "nope");
        engine.OpenGate();
        await first;
        await Task.WhenAll(waiting);

        Assert.Equal(ErrorCode.UnknownColumnFamily, (await Assert.ThrowsAsync<TinyKvException>(() => refused)).Code);
        Assert.Equal(2, engine.Synced);
        var stored = await client.BatchGetAsync(Enumerable.Range(0, 12).Select(i => new[] { (byte)i }));
        Assert.Equal(Enumerable.Range(0, 11), stored.Select(p => (int)p.Value[0]));
    }

    [Fact]
    public async Task ALostCallFailsEachOfItsCommandsAndEachCallerRetriesItsOwn()
    {
        var engine = new FsyncGateEngine();
        await using var kv = await StoreCluster.StartAsync(SyncPolicy.Sync, engine);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions
        {
            MaxBatchesInFlight = 1,
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(1),
        });
        var first = client.PutAsync([0], [0]);
        await engine.SyncRequested.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = Enumerable.Range(1, 4).Select(i => client.PutAsync([(byte)i], [(byte)i])).ToList();
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        kv.Cluster.AddFilter(new MessageFilter(
            m => m.Kind == Actors.Wire.EnvelopeKind.Request && m.Envelope.InterfaceType == typeof(IRawKvGrain).FullName && dropped.TrySetResult(),
            NetworkVerdict.DropIt));

        engine.OpenGate();
        await first;
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(waiting, put => Assert.False(put.IsCompleted));
        await kv.Cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(31));
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));

        var stored = await client.BatchGetAsync(Enumerable.Range(0, 5).Select(i => new[] { (byte)i }));
        Assert.Equal(Enumerable.Range(0, 5), stored.Select(p => (int)p.Value[0]));
    }

    /// <summary>A command retries on its own: each lost call costs one attempt, and after the last one the caller gets the transport failure.</summary>
    [Fact]
    public async Task APutWhoseCallsAreAllLostFailsUnavailableAfterItsRetries()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions
        {
            MaxRetries = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(1),
        });
        using var lost = new SemaphoreSlim(0);
        DropEveryCall(kv, lost);

        var put = client.PutAsync([1], [1]);
        for (int attempt = 0; attempt <= 2; attempt++)
        {
            Assert.True(await lost.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.False(put.IsCompleted);
            await kv.Cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(31));
        }

        var error = await Assert.ThrowsAsync<TinyKvUnavailableException>(() => put.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, lost.CurrentCount);
    }

    /// <summary>Cancelling a command while it waits out its backoff ends it cancelled; it is not sent again.</summary>
    [Fact]
    public async Task CancellingAPutDuringItsBackoffEndsItCancelled()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions
        {
            InitialBackoff = TimeSpan.FromHours(1),
            MaxBackoff = TimeSpan.FromHours(1),
        });
        using var lost = new SemaphoreSlim(0);
        DropEveryCall(kv, lost);
        using var cancel = new CancellationTokenSource();

        var put = client.PutAsync([1], [1], cancellationToken: cancel.Token);
        Assert.True(await lost.WaitAsync(TimeSpan.FromSeconds(30)));
        await kv.Cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(31));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, lost.CurrentCount);
    }

    /// <summary>Loses every call to the raw KV grain, releasing <paramref name="lost"/> once per call.</summary>
    private static void DropEveryCall(StoreCluster kv, SemaphoreSlim lost) =>
        kv.Cluster.AddFilter(new MessageFilter(
            m =>
            {
                if (m.Kind != Actors.Wire.EnvelopeKind.Request || m.Envelope.InterfaceType != typeof(IRawKvGrain).FullName)
                {
                    return false;
                }

                lost.Release();
                return true;
            },
            NetworkVerdict.DropIt));

    [Fact]
    public async Task ConcurrentMixedCommandsMatchTheirOwnAnswers()
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { MaxBatchesInFlight = 1 });

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.PutAsync(BitConverter.GetBytes(i), BitConverter.GetBytes(i * 7))));
        await Task.WhenAll(Enumerable.Range(0, 200).Where(i => i % 3 == 0).Select(i => client.DeleteAsync(BitConverter.GetBytes(i))));
        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.GetAsync(BitConverter.GetBytes(i))));

        Assert.Equal(
            Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? null : (int?)(i * 7)),
            values.Select(v => v is null ? null : (int?)BitConverter.ToInt32(v)));
    }

    /// <summary>
    /// A lone caller continues on the thread that received its answer; a caller that then blocks on a
    /// new command must find that command sent by another loop, not by the one it is blocking.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task ACallerThatBlocksOnANewCommandAfterItsAnswerDoesNotStallTheSender(int callers)
    {
        await using var kv = await StoreCluster.StartAsync(inMemory: true);
        await using var client = TinyKvClient.Create(kv.Cluster.Client, new TinyKvClientOptions { MaxBatchesInFlight = 1 });

        async Task PutThenBlockOnAnotherPutAsync(byte key)
        {
            await client.PutAsync([key], [key]);
#pragma warning disable VSTHRD002, VSTHRD103 // The point of the test: a caller that blocks in its continuation.
            client.PutAsync([key], [(byte)(key + 100)]).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002, VSTHRD103
        }

        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(() => PutThenBlockOnAnotherPutAsync((byte)i)))).WaitAsync(TimeSpan.FromSeconds(60));

        var values = await Task.WhenAll(Enumerable.Range(0, callers).Select(i => client.GetAsync([(byte)i])));
        Assert.Equal(Enumerable.Range(100, callers), values.Select(v => (int)v![0]));
    }

    private static ByteString Bytes(params byte[] bytes) => ByteString.CopyFrom(bytes);
}
