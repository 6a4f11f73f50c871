namespace Wharf.Api.Swarm;

/// <summary>POST /swarm/init.</summary>
public sealed class SwarmInitRequest
{
    public string? ListenAddr { get; set; }
    public string? AdvertiseAddr { get; set; }
    public string? DataPathAddr { get; set; }
    public int? DataPathPort { get; set; }
    public List<string>? DefaultAddrPool { get; set; }
    public bool ForceNewCluster { get; set; }
    public int? SubnetSize { get; set; }
    public SwarmSpec? Spec { get; set; }
}

/// <summary>GET /swarm/unlockkey.</summary>
public sealed class UnlockKeyResponse
{
    public string UnlockKey { get; set; } = "";
}
