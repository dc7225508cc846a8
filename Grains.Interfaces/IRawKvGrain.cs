using TinyKv.Actors;
using TinyKv.Grains.Interfaces.Kvrpcpb;

namespace TinyKv.Grains.Interfaces;

/// <summary>
/// The raw key-value API of one store (TinyKV's RawKV, project 1), keyed by store id. Expected
/// failures come back as <see cref="Error"/> values with a stable <see cref="ErrorCode"/>, never as
/// exceptions. A later raft path keeps these messages and adds region routing through
/// <see cref="Context"/>, answering NotLeader / EpochNotMatch / RegionNotFound.
/// </summary>
public interface IRawKvGrain : IGrainWithIntegerKey
{
    Task<RawGetResponse> RawGetAsync(RawGetRequest request);

    /// <summary>Returns once the write is visible, and durable under the store's sync policy.</summary>
    Task<RawPutResponse> RawPutAsync(RawPutRequest request);

    Task<RawDeleteResponse> RawDeleteAsync(RawDeleteRequest request);

    Task<RawScanResponse> RawScanAsync(RawScanRequest request);

    Task<RawBatchGetResponse> RawBatchGetAsync(RawBatchGetRequest request);

    Task<RawBatchPutResponse> RawBatchPutAsync(RawBatchPutRequest request);

    /// <summary>
    /// Gets, puts and deletes of several callers in one call (TiKV's batch commands), each answered
    /// on its own; the call returns once its writes are visible and durable under the sync policy.
    /// </summary>
    Task<RawBatchCommandsResponse> RawBatchCommandsAsync(RawBatchCommandsRequest request);

    Task<StoreStatusResponse> GetStatusAsync(StoreStatusRequest request);
}
