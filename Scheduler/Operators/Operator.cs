using System.Collections.Immutable;
using TinyKv.Scheduler.Meta;

namespace TinyKv.Scheduler.Operators;

/// <summary>
/// A planned change of one region as a sequence of steps (PD's operator), driven by the region's
/// heartbeats: each heartbeat advances past the steps the region shows finished, and the response
/// carries the command for the first unfinished step.
/// </summary>
/// <remarks>
/// Invariants: steps finish in order (a later step is not checked before the earlier ones are done);
/// once <see cref="Status"/> is final it never changes. The operator belongs to the region at
/// <see cref="Epoch"/>: a heartbeat with another <see cref="RegionEpoch.Version"/> (the region split
/// or merged) cancels it. Conf changes made by its own steps move only ConfVer, so they do not.
/// </remarks>
public sealed class Operator
{
    public Operator(string description, RegionInfo region, OperatorKind kind, ImmutableArray<OperatorStep> steps, DateTimeOffset createdAt, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfZero(steps.Length);
        Description = description;
        RegionId = region.Id;
        Epoch = region.Epoch;
        Kind = kind;
        Steps = steps;
        CreatedAt = createdAt;
        Timeout = timeout;
    }

    public string Description { get; }

    public ulong RegionId { get; }

    /// <summary>The region's epoch when the operator was made.</summary>
    public RegionEpoch Epoch { get; }

    public OperatorKind Kind { get; }

    public ImmutableArray<OperatorStep> Steps { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the first step was sent; null while <see cref="OperatorStatus.Created"/>.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    public TimeSpan Timeout { get; }

    public OperatorStatus Status { get; private set; }

    /// <summary>Index of the first unfinished step (== Steps.Length once all are finished).</summary>
    public int CurrentStep { get; private set; }

    public bool IsFinal => Status >= OperatorStatus.Success;

    /// <summary>
    /// Advances over the steps <paramref name="region"/> shows finished and settles the final
    /// status if any; returns the step still to do, or null when the operator is final.
    /// </summary>
    public OperatorStep? Advance(RegionInfo region, DateTimeOffset now)
    {
        if (IsFinal)
        {
            return null;
        }

        if (region.Id != RegionId || region.Epoch.Version != Epoch.Version)
        {
            Status = OperatorStatus.Canceled;
            return null;
        }

        while (CurrentStep < Steps.Length)
        {
            switch (Steps[CurrentStep].Check(region))
            {
                case StepProgress.Finished:
                    CurrentStep++;
                    continue;
                case StepProgress.Impossible:
                    Status = OperatorStatus.Canceled;
                    return null;
            }

            break;
        }

        if (CurrentStep == Steps.Length)
        {
            Status = OperatorStatus.Success;
            return null;
        }

        if (IsTimedOut(now))
        {
            Status = OperatorStatus.Timeout;
            return null;
        }

        return Steps[CurrentStep];
    }

    /// <summary>Marks the operator started (its first command is on its way).</summary>
    internal void MarkStarted(DateTimeOffset now)
    {
        if (Status == OperatorStatus.Created)
        {
            Status = OperatorStatus.Started;
            StartedAt = now;
        }
    }

    /// <summary>Settles a timeout without a heartbeat (the region went silent); returns true if it did.</summary>
    internal bool ExpireIfTimedOut(DateTimeOffset now)
    {
        if (!IsFinal && IsTimedOut(now))
        {
            Status = OperatorStatus.Timeout;
            return true;
        }

        return false;
    }

    internal void Cancel()
    {
        if (!IsFinal)
        {
            Status = OperatorStatus.Canceled;
        }
    }

    private bool IsTimedOut(DateTimeOffset now) => now - (StartedAt ?? CreatedAt) > Timeout;

    public override string ToString() =>
        $"{Description} (region {RegionId}, {Kind}, {Status}, step {CurrentStep}/{Steps.Length}: {string.Join(", ", Steps)})";
}
