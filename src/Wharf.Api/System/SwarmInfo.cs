using System.Text.Json.Serialization;
using Wharf.Api.Swarm;

namespace Wharf.Api.System;

/// <summary>Swarm part of /info: "inactive" until <c>docker swarm init</c>, then this node's view as the manager of a
/// swarm of one. Docker leaves Nodes, Managers and Cluster out when they are empty.</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";
    public string NodeAddr { get; set; } = "";
    public string LocalNodeState { get; set; } = "inactive";
    public bool ControlAvailable { get; set; }
    public string Error { get; set; } = "";
    public List<PeerNode>? RemoteManagers { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Nodes { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Managers { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClusterInfo? Cluster { get; set; }
}

public sealed class PeerNode
{
    public string NodeID { get; set; } = "";
    public string Addr { get; set; } = "";
}
