namespace TinyKv.Transactions;

/// <summary>What every lock a prewrite leaves records about its transaction.</summary>
/// <param name="Primary">The user key of the primary lock; commit of the primary is the commit point (Percolator §2.2).</param>
/// <param name="LockTtl">Milliseconds the locks stay alive without a heartbeat.</param>
/// <param name="MinCommitTs">Lower bound on the commit ts, or zero for none.</param>
public sealed record TxnProps(TimeStamp StartTs, byte[] Primary, ulong LockTtl, TimeStamp MinCommitTs = default);
