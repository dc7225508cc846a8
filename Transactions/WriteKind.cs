namespace TinyKv.Transactions;

/// <summary>The kind of a record in CF write. Values are part of the write format (v1): never renumber.</summary>
public enum WriteKind : byte
{
    /// <summary>A committed value; the bytes are in CF default at key+start ts.</summary>
    Put = 1,

    /// <summary>A committed deletion.</summary>
    Delete = 2,

    /// <summary>The transaction at start ts was rolled back; written at commit ts = start ts so a late prewrite fails.</summary>
    Rollback = 3,

    /// <summary>A committed read lock: carries no data, readers skip it.</summary>
    Lock = 4,
}
