using System.Net;
using Microsoft.Extensions.Logging;
using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Membership;

/// <summary>
/// A silo's part in membership (Orleans' MembershipAgent + ClusterHealthMonitor): joins and leaves
/// the table, publishes I-am-alive, probes its successors on the ring, votes a silo suspect after
/// <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> missed probes, and declares it dead
/// when the fresh votes reach min(NumVotesForDeathDeclaration, ⌈active/2⌉). A probe is missed
/// when no pong (of this round or, late, of the previous one) has arrived by the next probe round.
/// After each of its table writes it tells the other silos (Orleans' membership gossip), which
/// re-read the table at once: a joining silo takes grains and probes as soon as it is Active, not
/// after the others' next <see cref="ClusterMembershipOptions.TableRefreshTimeout"/>. Gossip only
/// hastens a read; the table stays the truth, and a lost notification costs one refresh period.
/// Every periodic action is tracked in <see cref="BackgroundWork"/> so tests on fake time can wait for it.
/// </summary>
internal sealed class MembershipAgent : IAsyncDisposable
{
    private readonly RuntimeClient _runtime;
    private readonly MembershipService _membership;
    private readonly ClusterMembershipOptions _options;
    private readonly SiloOptions _silo;
    private readonly TimeProvider _time;
    private readonly BackgroundWork _work;
    private readonly ILogger _log;
    private readonly object _probeGate = new();
    private readonly Dictionary<SiloAddress, int> _missed = [];
    private readonly List<ITimer> _timers = [];
    private List<SiloAddress> _probed = [];
    private HashSet<SiloAddress> _answered = [];
    private ulong _round;

    /// <summary>Notifications received and not yet covered by a table read (see <see cref="OnMembershipChanged"/>).</summary>
    private int _notifications;

    public MembershipAgent(RuntimeClient runtime, MembershipService membership, ClusterMembershipOptions options, SiloOptions silo, TimeProvider time, BackgroundWork work, ILogger log)
    {
        _runtime = runtime;
        _membership = membership;
        _options = options;
        _silo = silo;
        _time = time;
        _work = work;
        _log = log;
    }

    private SiloAddress Self => _runtime.LocalAddress;

    /// <summary>
    /// A generation above every generation this endpoint ever had in the table (and at least the
    /// seconds since 2020, as Orleans does), so a restarted silo is a new incarnation.
    /// </summary>
    public static async Task<int> ChooseGenerationAsync(IMembershipTable table, string host, int port, TimeProvider time)
    {
        var data = await table.ReadAllAsync();
        int highest = data.Members.Where(m => m.Entry.SiloAddress.Host == host && m.Entry.SiloAddress.Port == port)
            .Select(m => m.Entry.SiloAddress.Generation).DefaultIfEmpty(0).Max();
        int fromClock = (int)Math.Max(1, (time.GetUtcNow() - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds);
        return Math.Max(highest + 1, fromClock);
    }

    /// <summary>
    /// Joins the cluster as a new incarnation: first declares dead every older incarnation of this
    /// endpoint still listed alive (one left behind by a kill is gone for certain, and a one-silo
    /// cluster has nobody to probe and vote it dead), then inserts this silo's row and goes Active.
    /// </summary>
    public async Task JoinAsync()
    {
        await DeclarePreviousIncarnationsDeadAsync();
        var now = _time.GetUtcNow();
        var entry = new MembershipEntry
        {
            SiloAddress = Self,
            Status = SiloStatus.Joining,
            StartTime = now,
            IAmAliveTime = now,
            SiloName = _silo.SiloName ?? $"silo-{_silo.SiloPort}",
            HostName = Dns.GetHostName(),
            HostedStoreIds = [.. _silo.HostedStoreIds],
        };
        while (true)
        {
            var data = await _membership.Table.ReadAllAsync();
            if (await _membership.Table.InsertRowAsync(entry, data.Version.Next()))
            {
                break;
            }
        }

        await WriteStatusAsync(SiloStatus.Active);
    }

    private async Task DeclarePreviousIncarnationsDeadAsync()
    {
        while (true)
        {
            var data = await _membership.Table.ReadAllAsync();
            var stale = data.Members.FirstOrDefault(m =>
                m.Entry.SiloAddress.IsSameEndpoint(Self)
                && m.Entry.SiloAddress.Generation < Self.Generation
                && m.Entry.Status != SiloStatus.Dead);
            if (stale.Entry is null)
            {
                return;
            }

            if (await _membership.Table.UpdateRowAsync(stale.Entry with { Status = SiloStatus.Dead }, stale.ETag, data.Version.Next()))
            {
                _log.PreviousIncarnationDeclaredDead(stale.Entry.SiloAddress);
            }
        }
    }

    public void StartTimers()
    {
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnProbeTick(), this, _options.ProbeTimeout, _options.ProbeTimeout));
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnRefreshTick(), this, _options.TableRefreshTimeout, _options.TableRefreshTimeout));
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnIAmAliveTick(), this, _options.IAmAliveTablePublishTimeout, _options.IAmAliveTablePublishTimeout));
    }

    /// <summary>Writes this silo's status (ShuttingDown, Dead on a graceful stop), retrying on write conflicts.</summary>
    public async Task WriteStatusAsync(SiloStatus status)
    {
        while (true)
        {
            var data = await _membership.Table.ReadAllAsync();
            if (data.TryGet(Self) is not { } row || row.Entry.Status == SiloStatus.Dead)
            {
                _membership.Apply(data);
                return;
            }

            var entry = row.Entry with { Status = status, IAmAliveTime = _time.GetUtcNow() };
            if (await _membership.Table.UpdateRowAsync(entry, row.ETag, data.Version.Next()))
            {
                _log.StatusWritten(Self, status);
                await _membership.RefreshAsync();
                Gossip();
                return;
            }
        }
    }

    /// <summary>
    /// A pong of this round or of the previous one counts: a late pong still proves the silo alive,
    /// and under load (CPU starvation, a GC pause, pings queued behind data) pongs arriving just after
    /// the next tick must not add up to a false death declaration.
    /// </summary>
    public void OnPong(SiloAddress from, ulong round)
    {
        lock (_probeGate)
        {
            if (round == _round || round + 1 == _round)
            {
                _answered.Add(from);
            }
        }
    }

    /// <summary>
    /// Another silo changed the table: re-read it. Notifications arriving while a read runs are
    /// covered by one more read after it, so a burst costs at most two reads, never one per notification.
    /// </summary>
    public void OnMembershipChanged()
    {
        if (Interlocked.Increment(ref _notifications) != 1)
        {
            return;
        }

        _work.Run(
            async () =>
            {
                int covered;
                do
                {
                    covered = Volatile.Read(ref _notifications);
                    await _membership.RefreshAsync();
                }
                while (Interlocked.Add(ref _notifications, -covered) != 0);
            },
            e =>
            {
                Volatile.Write(ref _notifications, 0);
                _log.MembershipFailed(e);
            });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var timer in _timers)
        {
            await timer.DisposeAsync();
        }

        _timers.Clear();
    }

    private void OnProbeTick()
    {
        var snapshot = _membership.Current;
        var suspects = new List<SiloAddress>();
        List<SiloAddress> targets;
        ulong round;
        lock (_probeGate)
        {
            foreach (var target in _probed)
            {
                int missed = _answered.Contains(target) ? 0 : _missed.GetValueOrDefault(target) + 1;
                _missed[target] = missed;
                if (missed >= _options.NumMissedProbesLimit && !snapshot.IsDead(target))
                {
                    suspects.Add(target);
                }
            }

            targets = ChooseProbeTargets(snapshot);
            foreach (var gone in _missed.Keys.Where(k => !targets.Contains(k)).ToList())
            {
                _missed.Remove(gone);
            }

            _probed = targets;
            _answered = [];
            round = ++_round;
        }

        foreach (var target in targets)
        {
            _runtime.SendPing(target, round);
        }

        foreach (var suspect in suspects)
        {
            _work.Run(() => TryToSuspectOrKillAsync(suspect), e => _log.MembershipFailed(e));
        }
    }

    /// <summary>The next NumProbedSilos active silos after this one on the ring ordered by stable hash.</summary>
    private List<SiloAddress> ChooseProbeTargets(MembershipSnapshot snapshot)
    {
        var ring = snapshot.ActiveSilos.Append(Self).Distinct().OrderBy(s => s.GetStableHashCode()).ThenBy(s => s).ToList();
        int self = ring.IndexOf(Self);
        var targets = new List<SiloAddress>();
        for (int i = 1; i < ring.Count && targets.Count < _options.NumProbedSilos; i++)
        {
            targets.Add(ring[(self + i) % ring.Count]);
        }

        return targets;
    }

    /// <summary>Tells every other silo of the current view, but those known dead, that the table changed.</summary>
    private void Gossip()
    {
        var snapshot = _membership.Current;
        foreach (var (silo, entry) in snapshot.Entries)
        {
            if (silo != Self && entry.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown)
            {
                _runtime.SendMembershipChanged(silo);
            }
        }
    }

    private void OnRefreshTick() => _work.Run(() => _membership.RefreshAsync(), e => _log.MembershipFailed(e));

    private void OnIAmAliveTick() => _work.Run(
        async () =>
        {
            if (_membership.Current.Entries.TryGetValue(Self, out var entry))
            {
                await _membership.Table.UpdateIAmAliveAsync(entry with { IAmAliveTime = _time.GetUtcNow() });
            }
        },
        e => _log.MembershipFailed(e));

    private async Task TryToSuspectOrKillAsync(SiloAddress target)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var data = await _membership.Table.ReadAllAsync();
            _membership.Apply(data);
            if (data.TryGet(Self) is not { Entry.Status: SiloStatus.Active } || data.TryGet(target) is not { } row || row.Entry.Status == SiloStatus.Dead)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var fresh = row.Entry.SuspectTimes.Where(v => now - v.Time < _options.DeathVoteExpirationTimeout && v.Voter != Self).ToList();
            int votes = fresh.Select(v => v.Voter).Distinct().Count() + 1;
            int active = data.Members.Count(m => m.Entry.Status == SiloStatus.Active);
            int required = Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, (active + 1) / 2));
            bool dead = votes >= required;
            var entry = row.Entry with
            {
                SuspectTimes = [.. fresh, (Self, now)],
                Status = dead ? SiloStatus.Dead : row.Entry.Status,
            };
            if (await _membership.Table.UpdateRowAsync(entry, row.ETag, data.Version.Next()))
            {
                _log.Suspected(Self, target, votes, required, dead ? ": declared dead" : string.Empty);
                await _membership.RefreshAsync();
                if (dead)
                {
                    Gossip();
                }

                return;
            }
        }
    }
}
