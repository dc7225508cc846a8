namespace TinyKv.Scheduler.Ids;

/// <summary>
/// An in-memory <see cref="IHighWaterMarkStore"/>: durable for the life of the object, which is
/// what a simulated restart needs (build a new allocator over the same store).
/// </summary>
public sealed class MemoryHighWaterMarkStore : IHighWaterMarkStore
{
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How many times <see cref="Save"/> ran (tests check that windows amortise it).</summary>
    public int SaveCount { get; private set; }

    public bool TryLoad(string key, out long value)
    {
        lock (_gate)
        {
            return _values.TryGetValue(key, out value);
        }
    }

    public void Save(string key, long value)
    {
        lock (_gate)
        {
            if (_values.TryGetValue(key, out long current) && value < current)
            {
                throw new InvalidOperationException($"high-water mark '{key}' would go back from {current} to {value}");
            }

            _values[key] = value;
            SaveCount++;
        }
    }
}
