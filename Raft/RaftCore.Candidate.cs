using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Quorum;

namespace TinyKv.Raft;

/// <summary>The candidate and pre-candidate roles (Raft §5.2).</summary>
internal sealed partial class RaftCore
{
    private StepResult StepCandidate(Message m)
    {
        // Only responses to our own round count: a pre-candidate ignores stray vote responses and vice versa.
        var myVoteResponse = State == StateType.PreCandidate
            ? MessageType.MsgRequestPreVoteResponse
            : MessageType.MsgRequestVoteResponse;
        switch (m.MsgType)
        {
            case MessageType.MsgPropose:
                RaftEvents.Dropped(_logger, Id, m.MsgType, Term, "no leader");
                return StepResult.ProposalDropped;

            case MessageType.MsgAppend:
                // A leader of our term (or newer) exists (§5.2).
                BecomeFollower(m.Term, m.From);
                HandleAppendEntries(m);
                break;

            case MessageType.MsgHeartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;

            case MessageType.MsgSnapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;

            case MessageType.MsgTimeoutNow:
                RaftEvents.Dropped(_logger, Id, m.MsgType, Term, "already campaigning");
                break;

            default:
                if (m.MsgType == myVoteResponse)
                {
                    var result = Poll(m.From, m.MsgType, !m.Reject);
                    if (result == VoteResult.Won)
                    {
                        if (State == StateType.PreCandidate)
                        {
                            Campaign(CampaignType.Election);
                        }
                        else
                        {
                            BecomeLeader();
                            BroadcastAppend();
                        }
                    }
                    else if (result == VoteResult.Lost)
                    {
                        // A rejecting majority: fall back, keeping the term (a pre-vote never raised it).
                        BecomeFollower(Term, None);
                    }
                }

                break;
        }

        return StepResult.Ok;
    }
}
