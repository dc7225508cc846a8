using TinyKv.Storage.Memory;
using TinyKv.Storage.RaftLog;

namespace TinyKv.Storage.Tests.Conformance;

public sealed class MemoryRaftLogEngineConformanceTests : RaftLogEngineConformance
{
    protected override IRaftLogEngine CreateEngine() => new MemoryEngine();
}

public sealed class SegmentRaftLogEngineConformanceTests : RaftLogEngineConformance
{
    private readonly TempDirectory _directory = new();
    private int _engines;

    protected override IRaftLogEngine CreateEngine() =>
        SegmentRaftLogEngine.Open(new RaftLogEngineOptions { Directory = _directory.Sub($"raft-{++_engines}"), SegmentSize = 64 << 10, RewriteBytes = 256 << 10 });

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}
