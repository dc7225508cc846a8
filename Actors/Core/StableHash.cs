namespace TinyKv.Actors;

/// <summary>FNV-1a over UTF-16 code units: stable across processes and runs (string.GetHashCode is not).</summary>
internal static class StableHash
{
    public static uint Of(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
