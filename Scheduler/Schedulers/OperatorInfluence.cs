using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// The stores as they will look once the unfinished steps of the running operators are done
/// (PD's OpInfluence): an added peer counts on its target, a removed one no longer on its source,
/// a leader transfer moves a leader.
/// </summary>
public static class OperatorInfluence
{
    public static IReadOnlyList<StoreInfo> Apply(IReadOnlyList<StoreInfo> stores, IEnumerable<(Operator Operator, RegionInfo Region)> running)
    {
        Dictionary<ulong, (int Regions, long RegionSize, int Leaders, long LeaderSize)>? delta = null;
        foreach (var (op, region) in running)
        {
            long size = region.ApproximateSize;
            for (int i = op.CurrentStep; i < op.Steps.Length; i++)
            {
                delta ??= [];
                switch (op.Steps[i])
                {
                    case AddPeer add:
                        Add(delta, add.StoreId, 1, size, 0, 0);
                        break;
                    case AddLearner learner:
                        Add(delta, learner.StoreId, 1, size, 0, 0);
                        break;
                    case RemovePeer remove:
                        Add(delta, remove.StoreId, -1, -size, 0, 0);
                        break;
                    case TransferLeader transfer:
                        Add(delta, transfer.FromStore, 0, 0, -1, -size);
                        Add(delta, transfer.ToStore, 0, 0, 1, size);
                        break;
                }
            }
        }

        if (delta is null)
        {
            return stores;
        }

        var adjusted = new StoreInfo[stores.Count];
        for (int i = 0; i < stores.Count; i++)
        {
            var s = stores[i];
            adjusted[i] = delta.TryGetValue(s.Id, out var d)
                ? s with
                {
                    RegionCount = s.RegionCount + d.Regions,
                    RegionSize = s.RegionSize + d.RegionSize,
                    LeaderCount = s.LeaderCount + d.Leaders,
                    LeaderSize = s.LeaderSize + d.LeaderSize,
                }
                : s;
        }

        return adjusted;
    }

    private static void Add(Dictionary<ulong, (int, long, int, long)> delta, ulong store, int regions, long regionSize, int leaders, long leaderSize)
    {
        var (r, rs, l, ls) = delta.GetValueOrDefault(store);
        delta[store] = (r + regions, rs + regionSize, l + leaders, ls + leaderSize);
    }
}
