namespace Wharf.Engine.Cluster;

/// <summary>Asks a follower (<see cref="ClusterEndpointDirectory.FollowAsync"/>) to drop its watch, list the store
/// again and hand out the difference — after this host lost its lease (it was cut from the store), its view may have
/// missed what a resumed watch cannot be trusted to replay, so it starts over from a full list.</summary>
public sealed class FollowerResync
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _round = new();

    /// <summary>Cancelled by the next <see cref="Request"/>: a follower's round (its list and its watch) runs under it.</summary>
    public CancellationToken Round
    {
        get
        {
            lock (_gate) return _round.Token;
        }
    }

    public void Request()
    {
        CancellationTokenSource ended;
        lock (_gate)
        {
            ended = _round;
            _round = new CancellationTokenSource();
        }

        // Not disposed: a follower may be linking its token right now; a source without a timer holds nothing.
        ended.Cancel();
    }
}
