namespace TinyKv.Raft;

/// <summary>Why a node campaigns.</summary>
internal enum CampaignType
{
    /// <summary>A pre-vote round first (PreVote enabled).</summary>
    PreElection,

    /// <summary>A normal election.</summary>
    Election,

    /// <summary>A leader transfer: forced, ignoring leases.</summary>
    Transfer,
}
