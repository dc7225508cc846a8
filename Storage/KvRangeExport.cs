using System.Buffers.Binary;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage;

/// <summary>
/// Export and import of a key range across the data column families: the payload of a region's
/// raft snapshot. Works on any engine: the export reads one <see cref="IKvSnapshot"/>, so it is
/// consistent; the import is one <see cref="WriteBatch"/>, so it is atomic.
/// </summary>
/// <remarks>
/// Format (version 1, little-endian): magic <c>TKVR</c>, u32 version, start key bytes, end key
/// bytes, then per pair a column family byte, key bytes and value bytes (bytes = LEB128 length +
/// data), then the byte 0xFF and the CRC-32C of everything before it.
/// </remarks>
public static class KvRangeExport
{
    private const uint Magic = 0x52564B54; // "TKVR" read as a little-endian u32
    private const uint Version = 1;
    private const byte EndMarker = 0xFF;

    /// <summary>Writes every pair of the data column families in [<paramref name="startKey"/>, <paramref name="endKey"/>) (empty end: unbounded).</summary>
    public static async Task ExportAsync(IKvSnapshot snapshot, byte[] startKey, byte[] endKey, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new RecordBuffer();
        buffer.WriteUInt32(Magic);
        buffer.WriteUInt32(Version);
        buffer.WriteBytes(startKey);
        buffer.WriteBytes(endKey);
        foreach (var cf in ColumnFamilies.Data)
        {
            using var it = snapshot.NewIterator(cf, new IteratorOptions(startKey, endKey.Length == 0 ? null : endKey));
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                buffer.WriteByte((byte)cf);
                buffer.WriteBytes(it.Key);
                buffer.WriteBytes(it.Value);
            }
        }

        buffer.WriteByte(EndMarker);
        buffer.WriteUInt32(Crc32C.Compute(buffer.WrittenSpan));
        await output.WriteAsync(buffer.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads an export and returns the batch that installs it: a delete-range of its key range in
    /// every data column family, then its pairs. Throws <see cref="InvalidDataException"/> on a
    /// damaged or foreign stream; nothing is written then.
    /// </summary>
    public static async Task<WriteBatch> ImportAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return Decode(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    private static WriteBatch Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            throw new InvalidDataException("not a TinyKv range export");
        }

        var body = data[..^4];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) || body[^1] != EndMarker)
        {
            throw new InvalidDataException("range export is damaged (checksum mismatch or truncated)");
        }

        var reader = new RecordReader(body[4..^1]);
        uint version = reader.ReadUInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"range export version {version} is not supported (this build reads version {Version})");
        }

        byte[] start = reader.ReadBytes().ToArray();
        byte[] end = reader.ReadBytes().ToArray();
        var batch = new WriteBatch();
        foreach (var cf in ColumnFamilies.Data)
        {
            batch.DeleteRange(cf, start, end);
        }

        while (!reader.IsEmpty)
        {
            var cf = (ColumnFamily)reader.ReadByte();
            if (!ColumnFamilies.Data.Contains(cf))
            {
                throw new InvalidDataException($"range export names column family {(byte)cf}, which is not a data column family");
            }

            batch.Put(cf, reader.ReadBytes(), reader.ReadBytes());
        }

        return batch;
    }
}
