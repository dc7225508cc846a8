using TinyKv.Actors.Networking;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests.Network;

/// <summary>A link's send queue: order, room, completion, and many senders against one reader.</summary>
public sealed class SendQueueTests
{
    /// <summary>Bounds a wait that only a broken contract would exhaust.</summary>
    private static readonly TimeSpan HandOff = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OneSenderIsReadInOrderAndCompletionEndsReadingAfterTheRest()
    {
        var queue = new SendQueue(8);
        for (ulong id = 1; id <= 3; id++)
        {
            Assert.True(queue.TryWrite(Envelope(id)));
        }

        Assert.True(queue.TryComplete());
        Assert.False(queue.TryComplete());
        Assert.False(queue.TryWrite(Envelope(4)));
        Assert.True(await queue.WaitToReadAsync());
        Assert.Equal([1UL, 2UL, 3UL], ReadAll(queue));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAWriteAndByCompletion()
    {
        var queue = new SendQueue(8);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(queue.TryWrite(Envelope(1)));
        Assert.True(await waiting.WaitAsync(HandOff));
        Assert.Equal([1UL], ReadAll(queue));

        var ending = queue.WaitToReadAsync().AsTask();
        Assert.False(ending.IsCompleted);
        queue.TryComplete();
        Assert.False(await ending.WaitAsync(HandOff));
    }

    [Fact]
    public async Task AFullQueueMakesASenderWaitUntilTheReaderTakesOne()
    {
        var queue = new SendQueue(2);
        Assert.True(queue.TryWrite(Envelope(1)));
        Assert.True(queue.TryWrite(Envelope(2)));
        Assert.False(queue.TryWrite(Envelope(3)));

        var blocked = queue.WriteAsync(Envelope(3), CancellationToken.None).AsTask();
        Assert.False(blocked.IsCompleted);
        Assert.True(queue.TryRead(out var first));
        Assert.Equal(1UL, first.Id);
        Assert.True(await blocked.WaitAsync(HandOff));
        Assert.Equal([2UL, 3UL], ReadAll(queue));
    }

    [Fact]
    public async Task CompletionReleasesABlockedSenderWithoutQueueingItsEnvelope()
    {
        var queue = new SendQueue(1);
        Assert.True(queue.TryWrite(Envelope(1)));
        var blocked = queue.WriteAsync(Envelope(2), CancellationToken.None).AsTask();
        Assert.False(blocked.IsCompleted);

        queue.TryComplete();

        Assert.False(await blocked.WaitAsync(HandOff));
        Assert.Equal([1UL], ReadAll(queue));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task EveryEnvelopeOfManySendersIsReadOnceInEachSendersOrder()
    {
        const int Senders = 4;
        const int PerSender = 20_000;
        var queue = new SendQueue(64);
        var reader = Task.Run(async () =>
        {
            var next = new ulong[Senders];
            int read = 0;
            while (await queue.WaitToReadAsync())
            {
                while (queue.TryRead(out var envelope))
                {
                    int sender = (int)(envelope.Id >> 32);
                    Assert.Equal(next[sender], envelope.Id & uint.MaxValue);
                    next[sender]++;
                    read++;
                }
            }

            return read;
        });
        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (ulong i = 0; i < PerSender; i++)
            {
                Assert.True(await queue.WriteAsync(Envelope(((ulong)s << 32) | i), CancellationToken.None));
            }
        })).ToArray();

        await Task.WhenAll(senders).WaitAsync(HandOff);
        queue.TryComplete();
        Assert.Equal(Senders * PerSender, await reader.WaitAsync(HandOff));
    }

    private static Envelope Envelope(ulong id) => new() { Id = id, Kind = EnvelopeKind.Request };

    private static List<ulong> ReadAll(SendQueue queue)
    {
        var ids = new List<ulong>();
        while (queue.TryRead(out var envelope))
        {
            ids.Add(envelope.Id);
        }

        return ids;
    }
}
