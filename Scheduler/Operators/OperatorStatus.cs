namespace TinyKv.Scheduler.Operators;

/// <summary>The life cycle of an operator: Created → Started → one of the final states.</summary>
public enum OperatorStatus
{
    /// <summary>Accepted by the controller; no step sent yet.</summary>
    Created = 0,

    /// <summary>A step has been sent to the region's leader.</summary>
    Started = 1,

    /// <summary>Final: every step finished.</summary>
    Success = 2,

    /// <summary>Final: the operator ran longer than its timeout.</summary>
    Timeout = 3,

    /// <summary>Final: the region changed under it (split, merge, a conflicting peer) or disappeared.</summary>
    Canceled = 4,
}
