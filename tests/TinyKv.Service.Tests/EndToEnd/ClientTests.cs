using System.Net.Http;
using System.Net.Sockets;
using TinyKv.Client;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>The .NET client against a silo process, and hostile input at its ports.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClientTests(SharedSilo shared)
{
    [Fact]
    public async Task RawApiRoundTrips()
    {
        await using var client = await shared.Silo.ConnectAsync();

        await client.PutAsync("client-1"u8.ToArray(), "one"u8.ToArray());
        await client.BatchPutAsync([KeyValuePair.Create("client-2"u8.ToArray(), "two"u8.ToArray()), KeyValuePair.Create("client-3"u8.ToArray(), "three"u8.ToArray())]);
        await client.DeleteAsync("client-3"u8.ToArray());

        Assert.Equal("one"u8.ToArray(), await client.GetAsync("client-1"u8.ToArray()));
        Assert.Null(await client.GetAsync("client-3"u8.ToArray()));
        var keys = new List<string>();
        await foreach (var (key, _) in client.ScanAsync("client-"u8.ToArray(), "client-~"u8.ToArray()))
        {
            keys.Add(System.Text.Encoding.UTF8.GetString(key));
        }

        Assert.Equal(["client-1", "client-2"], keys);
    }

    [Theory]
    [InlineData(RawKvLimits.MaxKeySize + 1, 1, ErrorCode.KeyTooLarge)]
    [InlineData(1, RawKvLimits.MaxValueSize + 1, ErrorCode.ValueTooLarge)]
    public async Task OversizedKeysAndValuesGetTheirCode(int keySize, int valueSize, ErrorCode expected)
    {
        await using var client = await shared.Silo.ConnectAsync();

        var error = await Assert.ThrowsAsync<TinyKvException>(() => client.PutAsync(new byte[keySize], new byte[valueSize]));

        Assert.Equal(expected, error.Code);
    }

    [Fact]
    public async Task AnUnknownColumnFamilyGetsItsCode()
    {
        await using var client = await shared.Silo.ConnectAsync();

        var error = await Assert.ThrowsAsync<TinyKvException>(() => client.GetAsync([1], cf: "nope"));

        Assert.Equal(ErrorCode.UnknownColumnFamily, error.Code);
    }

    [Fact]
    public async Task AWrongClusterIdIsRefused()
    {
        var error = await Assert.ThrowsAsync<TinyKvUnavailableException>(() => shared.Silo.ConnectAsync(o => o.ClusterId = "other"));

        Assert.True(error.Refused);
        Assert.Contains("cluster id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageBytesDoNotStopTheSiloServing()
    {
        var random = new Random(6);
        foreach (int port in new[] { shared.Silo.SiloPort, shared.Silo.HttpPort })
        {
            for (int i = 0; i < 5; i++)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", port);
                byte[] garbage = new byte[random.Next(1, 64 * 1024)];
                random.NextBytes(garbage);
                try
                {
                    await socket.SendAsync(garbage);
                }
                catch (SocketException)
                {
                    // The silo may close the connection before everything was sent: that is the point.
                }
            }
        }

        await using var client = await shared.Silo.ConnectAsync();
        await client.PutAsync("after-garbage"u8.ToArray(), [1]);
        Assert.Equal(new byte[] { 1 }, await client.GetAsync("after-garbage"u8.ToArray()));
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{shared.Silo.HttpPort}/healthz")));
        Assert.True(shared.Silo.IsRunning);
    }

    [Fact]
    public async Task StatusEndpointIsJson()
    {
        using var http = new HttpClient();

        string status = await http.GetStringAsync(new Uri($"http://127.0.0.1:{shared.Silo.HttpPort}/status"));

        Assert.Contains("\"storeId\":1", status, StringComparison.Ordinal);
        Assert.Contains("\"uptimeSeconds\"", status, StringComparison.Ordinal);
        Assert.Contains("\"lastSequence\"", status, StringComparison.Ordinal);
    }
}
