using Google.Protobuf;

namespace TinyKv.Raft.ReadOnly;

/// <summary>
/// The answer to a ReadIndex request (Raft thesis §6.4): once the application has applied up
/// to <paramref name="Index"/>, a read identified by <paramref name="RequestCtx"/> is linearizable.
/// </summary>
public sealed record ReadState(ulong Index, ByteString RequestCtx);
