using Microsoft.Extensions.Logging.Abstractions;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Tests.Wal;

/// <summary>Recovery reads segments through a 1 MiB window: records larger than it, or across its edge, come back whole.</summary>
public sealed class SegmentReaderTests
{
    [Theory]
    [InlineData(new[] { 10, (1 << 20) + 100, 5, 2 << 20, 7 })]
    [InlineData(new[] { (1 << 20) - 30, 64, (1 << 20) - 10, 3 })]
    public void Records_of_any_size_replay_whole_and_in_order(int[] sizes)
    {
        using var directory = new TempDirectory();
        var written = sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)(b * 31 + i)).ToArray()).ToList();
        using (var log = SegmentLog.Open(directory.Path, "test", 8 << 20, NullLogger.Instance, _ => true))
        {
            var buffer = new RecordBuffer();
            foreach (var payload in written)
            {
                buffer.Clear();
                int record = buffer.BeginRecord();
                buffer.WriteBytes(payload);
                buffer.EndRecord(record);
                log.Append(buffer.WrittenSpan);
            }

            log.Sync();
        }

        var replayed = new List<byte[]>();
        using (SegmentLog.Open(directory.Path, "test", 8 << 20, NullLogger.Instance, p => { replayed.Add(new RecordReader(p).ReadBytes().ToArray()); return true; }))
        {
        }

        Assert.Equal(written.Count, replayed.Count);
        for (int i = 0; i < written.Count; i++)
        {
            Assert.True(written[i].AsSpan().SequenceEqual(replayed[i]), $"record {i} of {written[i].Length} bytes differs");
        }
    }

    [Fact]
    public void A_read_past_the_end_of_the_file_is_refused()
    {
        using var directory = new TempDirectory();
        string path = directory.Sub("file");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        using var reader = new SegmentReader(path);

        Assert.True(reader.TryRead(1, 4, out var bytes));
        Assert.Equal([2, 3, 4, 5], bytes.ToArray());
        Assert.False(reader.TryRead(2, 4, out _));
    }
}
