namespace Wharf.Engine.Cluster;

/// <summary>One peer to program (<see cref="Added"/> true) or to remove.</summary>
public sealed record OverlayPeerChange(bool Added, OverlayPeer Peer);
