using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Operators;

/// <summary>
/// The running operators, at most one per region (PD's OperatorController). Heartbeats drive
/// them through <see cref="Dispatch"/>; finished ones move to a bounded history.
/// Not thread-safe: the cluster serialises access.
/// </summary>
public sealed class OperatorController
{
    /// <summary>How many final operators <see cref="History"/> keeps.</summary>
    public const int HistoryLimit = 256;

    private readonly Dictionary<ulong, Operator> _running = [];
    private readonly Queue<Operator> _history = new();

    public int RunningCount => _running.Count;

    /// <summary>The most recent final operators, oldest first.</summary>
    public IReadOnlyCollection<Operator> History => _history;

    /// <summary>The running operators (no particular order).</summary>
    public IEnumerable<Operator> Running => _running.Values;

    public Operator? GetOperator(ulong regionId) => _running.GetValueOrDefault(regionId);

    /// <summary>Running operators whose kind includes every flag of <paramref name="kind"/>.</summary>
    public int Count(OperatorKind kind)
    {
        int n = 0;
        foreach (var op in _running.Values)
        {
            n += (op.Kind & kind) == kind ? 1 : 0;
        }

        return n;
    }

    /// <summary>
    /// Accepts <paramref name="op"/> unless the region already has a running operator or the
    /// operator was made for an older epoch than <paramref name="region"/>'s.
    /// </summary>
    public bool TryAdd(Operator op, RegionInfo region)
    {
        if (op.IsFinal || op.RegionId != region.Id || op.Epoch != region.Epoch || _running.ContainsKey(op.RegionId))
        {
            return false;
        }

        _running.Add(op.RegionId, op);
        return true;
    }

    /// <summary>
    /// Advances the region's operator with the reported <paramref name="region"/> and returns the
    /// command for its leader, or null when there is nothing to do (no operator, or it just ended).
    /// </summary>
    public RegionCommand? Dispatch(RegionInfo region, DateTimeOffset now)
    {
        if (!_running.TryGetValue(region.Id, out var op))
        {
            return null;
        }

        var step = op.Advance(region, now);
        var command = step?.Command(region);
        if (step is not null && command is null)
        {
            op.Cancel();
        }

        if (op.IsFinal)
        {
            Finish(op);
            return null;
        }

        op.MarkStarted(now);
        return command;
    }

    /// <summary>Ends operators that timed out without a heartbeat to settle them.</summary>
    public void ExpireTimedOut(DateTimeOffset now)
    {
        List<Operator>? expired = null;
        foreach (var op in _running.Values)
        {
            if (op.ExpireIfTimedOut(now))
            {
                (expired ??= []).Add(op);
            }
        }

        if (expired is null)
        {
            return;
        }

        expired.Sort((a, b) => a.RegionId.CompareTo(b.RegionId));
        foreach (var op in expired)
        {
            Finish(op);
        }
    }

    /// <summary>Cancels the region's operator (the region was dropped by an overlap). Returns true if there was one.</summary>
    public bool Cancel(ulong regionId)
    {
        if (!_running.TryGetValue(regionId, out var op))
        {
            return false;
        }

        op.Cancel();
        Finish(op);
        return true;
    }

    private void Finish(Operator op)
    {
        _running.Remove(op.RegionId);
        _history.Enqueue(op);
        if (_history.Count > HistoryLimit)
        {
            _history.Dequeue();
        }
    }
}
