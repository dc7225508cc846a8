using TinyKv.Storage.Faster;

namespace TinyKv.Storage.Tests.Conformance;

public sealed class FasterKvEngineConformanceTests : KvEngineConformance
{
    private readonly TempDirectory _directory = new();
    private int _engines;

    protected override IKvEngine CreateEngine() => FasterKvEngine.Open(SmallOptions(_directory.Sub($"engine-{++_engines}")));

    /// <summary>Options small enough that tests exercise segment rolls and the value store's disk.</summary>
    internal static FasterKvOptions SmallOptions(string directory) => new()
    {
        Directory = directory,
        WalSegmentSize = 1 << 20,
        CheckpointWalBytes = 8 << 20,
        ValueMemorySizeBits = 16,
        ValuePageSizeBits = 12,
    };

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}
