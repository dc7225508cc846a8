using Microsoft.Extensions.Options;
using TinyKv.Actors;

namespace TinyKv.Silo;

/// <summary>
/// Before the silo joins, writes Dead on every earlier incarnation of its endpoint still listed as
/// alive (left behind by a kill). Orleans does the same on restart: the old incarnation is gone for
/// certain, and placement must not pick it (store placement reads the rows' hosted store ids), so
/// waiting for probes and votes, which a one-silo cluster cannot gather, is not an option.
/// </summary>
internal sealed class PreviousIncarnationFence(IMembershipTable table, IOptions<SiloOptions> silo, ILogger<PreviousIncarnationFence> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var options = silo.Value;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var data = await table.ReadAllAsync();
            var stale = data.Members.FirstOrDefault(m =>
                m.Entry.SiloAddress.Host == options.AdvertisedHost && m.Entry.SiloAddress.Port == options.SiloPort && m.Entry.Status != SiloStatus.Dead);
            if (stale.Entry is null)
            {
                return;
            }

            if (await table.UpdateRowAsync(stale.Entry with { Status = SiloStatus.Dead }, stale.ETag, data.Version.Next()))
            {
                log.LogInformation("Declared the previous incarnation {Silo} dead", stale.Entry.SiloAddress);
                attempt = 0;
            }
        }

        throw new InvalidOperationException("could not mark the previous incarnation of this silo dead in the membership table (write conflicts)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
