namespace TinyKv.Storage.Tests;

/// <summary>Assertions that compare whole engines.</summary>
internal static class EngineAssert
{
    /// <summary>Every column family of <paramref name="actualEngine"/> holds exactly the pairs of <paramref name="expectedEngine"/>.</summary>
    public static void SameContent(IKvEngine expectedEngine, IKvEngine actualEngine, string context)
    {
        using var expected = expectedEngine.Snapshot();
        using var actual = actualEngine.Snapshot();
        foreach (var cf in ColumnFamilies.All)
        {
            using var e = expected.NewIterator(cf);
            using var a = actual.NewIterator(cf);
            e.SeekToFirst();
            a.SeekToFirst();
            while (e.Valid && a.Valid)
            {
                Assert.True(e.Key.SequenceEqual(a.Key) && e.Value.SequenceEqual(a.Value), $"{context}: {cf} differs at key {Convert.ToHexString(e.Key)}");
                e.Next();
                a.Next();
            }

            Assert.True(e.Valid == a.Valid, $"{context}: {cf} has {(a.Valid ? "extra" : "missing")} keys");
        }
    }
}
