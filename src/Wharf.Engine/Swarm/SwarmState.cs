namespace Wharf.Engine.Swarm;

/// <summary>What the node keeps of the single-node swarm it manages (data-root/swarm/state.json). Immutable: every
/// change is a new state (<c>with</c>), swapped in whole, so a reader never sees half an update.
/// <para>The cluster and node specs are kept as the JSON the API last accepted: the engine reads none of their
/// fields (a swarm of one runs no raft, dispatcher or CA that would), and the API layer owns their shape and
/// defaults.</para></summary>
public sealed record SwarmState
{
    public required string ClusterId { get; init; }
    public required string NodeId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Docker's object version index: bumped by every update, checked by the next one.</summary>
    public long Version { get; init; }
    public string ListenAddr { get; init; } = "";
    public string AdvertiseAddr { get; init; } = "";
    public string DataPathAddr { get; init; } = "";
    public int DataPathPort { get; init; }
    public IReadOnlyList<string> DefaultAddrPool { get; init; } = [];
    public int SubnetSize { get; init; }
    public required string WorkerToken { get; init; }
    public required string ManagerToken { get; init; }
    public string SpecJson { get; init; } = "{}";
    public long NodeVersion { get; init; }
    public DateTimeOffset NodeUpdatedAt { get; init; }
    public string NodeSpecJson { get; init; } = "{}";
}
