namespace TinyKv.Actors;

/// <summary>A read of the membership table: rows with their ETags, and the version row.</summary>
public sealed record MembershipTableData(IReadOnlyList<(MembershipEntry Entry, string ETag)> Members, TableVersion Version)
{
    public (MembershipEntry Entry, string ETag)? TryGet(SiloAddress silo)
    {
        foreach (var member in Members)
        {
            if (member.Entry.SiloAddress == silo)
            {
                return member;
            }
        }

        return null;
    }
}
