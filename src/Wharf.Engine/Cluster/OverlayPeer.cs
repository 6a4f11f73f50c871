namespace Wharf.Engine.Cluster;

/// <summary>What a host programs for one remote endpoint of an overlay network: a neighbour entry
/// (<see cref="Address"/> has <see cref="MacAddress"/>) and an FDB entry (<see cref="MacAddress"/> is reached through
/// the VTEP <see cref="Vtep"/>) — so no multicast, no flooding, no learning. <see cref="Names"/>: its DNS names,
/// space-separated (a string, so peers compare by value).</summary>
public sealed record OverlayPeer(string EndpointId, string Address, string MacAddress, string Vtep, string Names = "");
