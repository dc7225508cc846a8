namespace TinyKv.Scheduler.Operators;

/// <summary>What an operator does and who made it (PD's OpKind), for limits and reporting.</summary>
[Flags]
public enum OperatorKind
{
    None = 0,

    /// <summary>Moves leadership.</summary>
    Leader = 1,

    /// <summary>Moves or adds or removes peers.</summary>
    Region = 2,

    /// <summary>Made by a balance scheduler.</summary>
    Balance = 4,

    /// <summary>Made by the replica checker (repair).</summary>
    Replica = 8,

    /// <summary>Made by an administrator.</summary>
    Admin = 16,
}
