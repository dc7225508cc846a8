using TinyKv.Storage.Memory;

namespace TinyKv.Storage.Tests.Conformance;

public sealed class MemoryEngineConformanceTests : KvEngineConformance
{
    protected override IKvEngine CreateEngine() => new MemoryEngine();
}
