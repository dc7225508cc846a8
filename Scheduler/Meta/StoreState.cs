namespace TinyKv.Scheduler.Meta;

/// <summary>
/// The life cycle of a store (metapb.StoreState, plus <see cref="Down"/> as an explicit
/// administrative mark). A store that stops sending heartbeats is also treated as down once its
/// down time exceeds the configured limit, whatever its state says (see <see cref="StoreInfo.DownTime"/>).
/// </summary>
public enum StoreState
{
    /// <summary>Serving; may receive new peers.</summary>
    Up = 0,

    /// <summary>Being decommissioned: keeps serving, receives no new peers, peers are moved out.</summary>
    Offline = 1,

    /// <summary>Marked down: treated as lost; its peers are replaced elsewhere.</summary>
    Down = 2,

    /// <summary>Removed for good; never comes back, ignored by every scheduler.</summary>
    Tombstone = 3,
}
