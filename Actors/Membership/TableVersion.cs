namespace TinyKv.Actors;

/// <summary>The membership table's version row: every write moves it forward by one, conditional on its ETag.</summary>
public sealed record TableVersion(int Version, string VersionEtag)
{
    public TableVersion Next() => new(Version + 1, VersionEtag);
}
