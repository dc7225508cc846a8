using Google.Protobuf;
using TinyKv.Actors;
using TinyKv.Actors.Networking;
using TinyKv.Grains.Interfaces;
using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

/// <summary>
/// The raw key-value client: get, put, delete, scan and batches against one store, over the
/// runtime's <see cref="ClusterClient"/> on TCP. A method returns when the store answered: a put or
/// delete is then durable under the store's sync policy. Error answers throw
/// <see cref="TinyKvException"/> with a stable code and are never retried; transport failures
/// (timeouts, a silo gone) are retried with exponential backoff after re-reading the gateways, then
/// throw <see cref="TinyKvUnavailableException"/>. Raw writes are idempotent, so a retried write that
/// had in fact been applied leaves the same state. Thread-safe; share one instance: concurrent gets,
/// puts and deletes are coalesced into batch calls (<see cref="BatchCommandsSender"/>).
/// </summary>
public sealed partial class TinyKvClient : IAsyncDisposable
{
    private readonly TinyKvClientOptions _options;
    private readonly IRawKvGrain _store;
    private readonly BatchCommandsSender _reads;
    private readonly BatchCommandsSender _writes;
    private readonly Func<Task>? _refreshGateways;
    private readonly Func<ValueTask>? _dispose;

    private TinyKvClient(TinyKvClientOptions options, IGrainFactory grains, Func<Task>? refreshGateways, Func<ValueTask>? dispose)
    {
        _options = options;
        _store = grains.GetGrain<IRawKvGrain>(options.StoreId);
        _reads = new BatchCommandsSender(_store, options.MaxBatchesInFlight, BackOffAsync, options.InitialBackoff);
        _writes = new BatchCommandsSender(_store, options.MaxBatchesInFlight, BackOffAsync, options.InitialBackoff);
        _refreshGateways = refreshGateways;
        _dispose = dispose;
    }

    /// <summary>Connects to the silo at <paramref name="endpoint"/> ("host:port") with default options.</summary>
    public static Task<TinyKvClient> ConnectAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ConnectAsync(new TinyKvClientOptions { Endpoints = [endpoint] }, cancellationToken);

    /// <summary>
    /// Connects through the runtime's static gateway endpoints (each endpoint's handshake names the
    /// silo listening there). Throws <see cref="TinyKvUnavailableException"/> when no endpoint answers,
    /// with <see cref="TinyKvUnavailableException.Refused"/> set when one refused the cluster id or secret.
    /// </summary>
    public static async Task<TinyKvClient> ConnectAsync(TinyKvClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var cluster = new TcpClusterClientOptions
        {
            ClusterId = options.ClusterId,
            SharedSecret = options.SharedSecret,
            Messaging = new SiloMessagingOptions { ResponseTimeout = options.ResponseTimeout },
            Transport = new TcpTransportOptions { ConnectTimeout = options.ConnectTimeout },
        }.UseStaticClustering([.. options.Endpoints]);
        ClusterClient client;
        try
        {
            client = await TcpClusterClient.ConnectAsync(cluster, cancellationToken: cancellationToken);
        }
        catch (HandshakeRefusedException e)
        {
            throw new TinyKvUnavailableException(e.Message, e) { Refused = true };
        }
        catch (SiloUnavailableException e)
        {
            throw new TinyKvUnavailableException($"cannot reach {string.Join(", ", options.Endpoints)}: {e.Message}", e);
        }

        return new TinyKvClient(options, client, client.RefreshMembershipAsync, client.DisposeAsync);
    }

    /// <summary>A client over a grain factory the caller owns (a silo's, or a TestCluster's client); retries without re-reading gateways.</summary>
    public static TinyKvClient Create(IGrainFactory grains, TinyKvClientOptions? options = null)
    {
        options ??= new TinyKvClientOptions();
        options.Validate();
        return new TinyKvClient(options, grains, refreshGateways: null, dispose: null);
    }

    /// <summary>The value of <paramref name="key"/>, or null when it does not exist.</summary>
    public async Task<byte[]?> GetAsync(byte[] key, string? cf = null, CancellationToken cancellationToken = default)
    {
        var command = new RawCommand { Get = new RawGetRequest { Key = Wrap(key), Cf = cf ?? string.Empty } };
        var response = (await _reads.SendAsync(command, key.Length, cancellationToken)).Get;
        return response.NotFound ? null : response.Value.ToByteArray();
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>; durable under the store's sync policy when it returns.</summary>
    public Task PutAsync(byte[] key, byte[] value, string? cf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (FrameError(key.Length, value.Length) is { } tooLarge)
        {
            return Task.FromException(tooLarge);
        }

        var command = new RawCommand { Put = new RawPutRequest { Key = Wrap(key), Value = Wrap(value), Cf = cf ?? string.Empty } };
        return _writes.SendAsync(command, key.Length + value.Length, cancellationToken);
    }

    /// <summary>Deletes <paramref name="key"/>; deleting a missing key is not an error.</summary>
    public Task DeleteAsync(byte[] key, string? cf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var command = new RawCommand { Delete = new RawDeleteRequest { Key = Wrap(key), Cf = cf ?? string.Empty } };
        return _writes.SendAsync(command, key.Length, cancellationToken);
    }

    /// <summary>The store's status: id, cluster, uptime, engine figures.</summary>
    public Task<StoreStatusResponse> GetStatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(s => s.GetStatusAsync(new StoreStatusRequest()), r => r.Error, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_dispose is not null)
        {
            await _dispose();
        }
    }

    private static ByteString Wrap(byte[] bytes) => UnsafeByteOperations.UnsafeWrap(bytes);

    /// <summary>What could not cross the wire (a frame is at most 4 MiB) is refused locally, with the store's codes.</summary>
    private static TinyKvException? FrameError(int keyLength, long valueLength)
    {
        const int frameSafe = 3 * 1024 * 1024;
        if (keyLength > frameSafe)
        {
            return new TinyKvException(ErrorCode.KeyTooLarge, $"key of {keyLength} bytes exceeds the limit of {RawKvLimits.MaxKeySize} bytes");
        }

        return valueLength > frameSafe
            ? new TinyKvException(ErrorCode.ValueTooLarge, $"value of {valueLength} bytes exceeds the limit of {RawKvLimits.MaxValueSize} bytes")
            : null;
    }
}
