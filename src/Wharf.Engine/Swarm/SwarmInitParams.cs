namespace Wharf.Engine.Swarm;

/// <summary>docker swarm init after the API edge has bound it (addresses resolved, spec completed with defaults).</summary>
public sealed record SwarmInitParams(
    string ListenAddr,
    string AdvertiseAddr,
    string DataPathAddr,
    int DataPathPort,
    IReadOnlyList<string> DefaultAddrPool,
    int SubnetSize,
    string SpecJson,
    string NodeSpecJson);
