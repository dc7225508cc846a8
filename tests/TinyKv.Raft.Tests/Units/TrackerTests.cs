using TinyKv.Raft.Quorum;
using TinyKv.Raft.Tracker;

namespace TinyKv.Raft.Tests.Units;

/// <summary>Progress flow control, the inflight window and majority quorums.</summary>
public sealed class TrackerTests
{
    [Fact]
    public void Inflights_fill_up_free_in_order_and_wrap_around()
    {
        var inf = new Inflights(10);
        for (ulong i = 0; i < 5; i++)
        {
            inf.Add(i);
        }

        inf.FreeLE(2);
        Assert.Equal(2, inf.Count);
        for (ulong i = 5; i < 13; i++)
        {
            inf.Add(i);
        }

        Assert.True(inf.Full);
        Assert.Throws<RaftInvariantException>(() => inf.Add(13));

        inf.FreeLE(8);
        Assert.Equal(4, inf.Count);
        inf.FreeFirstOne();
        Assert.Equal(3, inf.Count);
        inf.FreeLE(100);
        Assert.Equal(0, inf.Count);
    }

    [Theory]
    [InlineData(ProgressState.Replicate, 5UL, 10UL, 5UL, 5UL, false, 10UL)]
    [InlineData(ProgressState.Replicate, 5UL, 10UL, 4UL, 4UL, false, 10UL)]
    [InlineData(ProgressState.Replicate, 5UL, 10UL, 9UL, 9UL, true, 6UL)]
    [InlineData(ProgressState.Probe, 0UL, 0UL, 0UL, 0UL, false, 0UL)]
    [InlineData(ProgressState.Probe, 0UL, 10UL, 5UL, 5UL, false, 10UL)]
    [InlineData(ProgressState.Probe, 0UL, 10UL, 9UL, 9UL, true, 9UL)]
    [InlineData(ProgressState.Probe, 0UL, 2UL, 1UL, 1UL, true, 1UL)]
    [InlineData(ProgressState.Probe, 0UL, 1UL, 0UL, 0UL, true, 1UL)]
    [InlineData(ProgressState.Probe, 0UL, 10UL, 9UL, 2UL, true, 3UL)]
    [InlineData(ProgressState.Probe, 0UL, 10UL, 9UL, 0UL, true, 1UL)]
    public void MaybeDecrTo_ignores_stale_rejections_and_follows_the_hint(ProgressState state, ulong match, ulong next, ulong rejected, ulong hint, bool wantOk, ulong wantNext)
    {
        var pr = new Progress(match, next, 256, false);
        if (state == ProgressState.Replicate)
        {
            pr.ResetState(ProgressState.Replicate);
        }

        Assert.Equal(wantOk, pr.MaybeDecrTo(rejected, hint));
        Assert.Equal(wantNext, pr.Next);
    }

    [Fact]
    public void Probe_pauses_after_one_append_and_resumes_on_an_acknowledgement()
    {
        var pr = new Progress(0, 1, 256, false) { ProbeSent = true };
        Assert.True(pr.IsPaused);

        Assert.True(pr.MaybeUpdate(1));

        Assert.False(pr.IsPaused);
        Assert.Equal((1UL, 2UL), (pr.Match, pr.Next));
    }

    [Fact]
    public void Leaving_snapshot_state_probes_from_after_the_snapshot()
    {
        var pr = new Progress(1, 2, 256, false);
        pr.BecomeSnapshot(10);
        Assert.True(pr.IsPaused);

        pr.BecomeProbe();

        Assert.Equal((ProgressState.Probe, 11UL), (pr.State, pr.Next));
    }

    [Theory]
    [InlineData(new ulong[] { 5 }, 5UL)]
    [InlineData(new ulong[] { 1, 2, 3 }, 2UL)]
    [InlineData(new ulong[] { 1, 1, 3 }, 1UL)]
    [InlineData(new ulong[] { 9, 2, 3, 4 }, 3UL)]
    [InlineData(new ulong[] { 9, 2, 8, 4, 1 }, 4UL)]
    [InlineData(new ulong[0], 0UL)]
    public void The_committed_index_is_the_highest_one_a_majority_acknowledged(ulong[] matches, ulong want)
    {
        var ids = Enumerable.Range(1, matches.Length).Select(i => (ulong)i).ToArray();
        var cfg = new MajorityConfig(ids);

        ulong got = cfg.CommittedIndex(id => matches[id - 1], new ulong[matches.Length]);

        Assert.Equal(want, got);
    }

    [Theory]
    [InlineData(3, "", VoteResult.Pending)]
    [InlineData(3, "1+", VoteResult.Pending)]
    [InlineData(3, "1+ 2+", VoteResult.Won)]
    [InlineData(3, "1+ 2- 3-", VoteResult.Lost)]
    [InlineData(3, "1- 2-", VoteResult.Lost)]
    [InlineData(4, "1+ 2+ 3-", VoteResult.Pending)]
    [InlineData(4, "1+ 2- 3-", VoteResult.Lost)]
    [InlineData(0, "", VoteResult.Won)]
    public void Vote_results_need_a_majority_of_grants_or_of_rejections(int size, string votes, VoteResult want)
    {
        var cfg = new MajorityConfig(Enumerable.Range(1, size).Select(i => (ulong)i));
        var v = votes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToDictionary(s => ulong.Parse(s[..^1]), s => s[^1] == '+');

        Assert.Equal(want, cfg.VoteResult(v));
    }
}
