namespace Wharf.Engine.Networks.Drivers;

/// <summary>Where a network exists (Docker's "Scope" of a network and of its driver).</summary>
public enum NetworkScope
{
    /// <summary>On this host only ("local").</summary>
    Local,

    /// <summary>On every daemon sharing a cluster store ("global"): overlay.</summary>
    Global,

    /// <summary>Made by the swarm this node manages ("swarm"): overlay networks of a single-node swarm.</summary>
    Swarm,
}
