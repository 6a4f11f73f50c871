namespace Wharf.Api.System;

/// <summary>Swarm part of /info; Wharf is never a swarm member, so "inactive".</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";
    public string NodeAddr { get; set; } = "";
    public string LocalNodeState { get; set; } = "inactive";
    public bool ControlAvailable { get; set; }
    public string Error { get; set; } = "";
    public List<global::System.Text.Json.JsonElement>? RemoteManagers { get; set; }
}
