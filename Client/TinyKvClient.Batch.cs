using System.Runtime.CompilerServices;
using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Client;

public sealed partial class TinyKvClient
{
    /// <summary>The pairs of the keys that exist, in request order.</summary>
    public async Task<IReadOnlyList<KeyValuePair<byte[], byte[]>>> BatchGetAsync(IEnumerable<byte[]> keys, string? cf = null, CancellationToken cancellationToken = default)
    {
        var request = new RawBatchGetRequest { Cf = cf ?? string.Empty };
        request.Keys.AddRange(keys.Select(Wrap));
        var response = await CallAsync(s => s.RawBatchGetAsync(request), r => r.Error, cancellationToken);
        return [.. response.Pairs.Select(p => KeyValuePair.Create(p.Key.ToByteArray(), p.Value.ToByteArray()))];
    }

    /// <summary>Writes every pair atomically.</summary>
    public async Task BatchPutAsync(IEnumerable<KeyValuePair<byte[], byte[]>> pairs, string? cf = null, CancellationToken cancellationToken = default)
    {
        var request = new RawBatchPutRequest { Cf = cf ?? string.Empty };
        long size = 0;
        foreach (var (key, value) in pairs)
        {
            size += key.Length + value.Length;
            request.Pairs.Add(new KvPair { Key = Wrap(key), Value = Wrap(value) });
        }

        if (FrameError(0, size) is { } tooLarge)
        {
            throw tooLarge;
        }

        await CallAsync(s => s.RawBatchPutAsync(request), r => r.Error, cancellationToken);
    }

    /// <summary>
    /// Pairs with keys in [<paramref name="startKey"/>, <paramref name="endKey"/>) in key order, at most
    /// <paramref name="limit"/> (0: no limit). Null or empty bounds are unbounded. Pages of
    /// <see cref="TinyKvClientOptions.ScanPageSize"/>; each page is a consistent read, the whole scan is not.
    /// </summary>
    public async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanAsync(
        byte[]? startKey = null,
        byte[]? endKey = null,
        int limit = 0,
        string? cf = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        byte[] next = startKey ?? [];
        int returned = 0;
        while (limit == 0 || returned < limit)
        {
            int page = limit == 0 ? _options.ScanPageSize : Math.Min(_options.ScanPageSize, limit - returned);
            var request = new RawScanRequest { StartKey = Wrap(next), EndKey = Wrap(endKey ?? []), Limit = (uint)page, Cf = cf ?? string.Empty };
            var response = await CallAsync(s => s.RawScanAsync(request), r => r.Error, cancellationToken);
            foreach (var pair in response.Kvs)
            {
                returned++;
                yield return KeyValuePair.Create(pair.Key.ToByteArray(), pair.Value.ToByteArray());
            }

            if (response.Kvs.Count < page)
            {
                yield break;
            }

            next = [.. response.Kvs[^1].Key.Span, 0];
        }
    }
}
