using System.Globalization;

namespace TinyKv.Actors.AdoNet;

/// <summary>
/// The text form of the suspect-times column: "host/port/generation/unixMs" per vote, joined by ';'
/// (Orleans keeps the same list as text in its SuspectTimes column).
/// </summary>
internal static class MembershipRowCodec
{
    public static string WriteSuspectTimes(IReadOnlyList<(SiloAddress Voter, DateTimeOffset Time)> votes) =>
        string.Join(';', votes.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Voter.Host}/{v.Voter.Port}/{v.Voter.Generation}/{v.Time.ToUnixTimeMilliseconds()}")));

    public static IReadOnlyList<(SiloAddress Voter, DateTimeOffset Time)> ReadSuspectTimes(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var votes = new List<(SiloAddress, DateTimeOffset)>();
        foreach (var vote in text.Split(';'))
        {
            var parts = vote.Split('/');
            if (parts.Length != 4)
            {
                throw new InvalidDataException($"Malformed suspect time '{vote}' in the membership table.");
            }

            votes.Add((
                new SiloAddress(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture))));
        }

        return votes;
    }
}
