namespace Wharf.Api.Swarm;

/// <summary>The swarm as /info's Swarm.Cluster shows it; <see cref="SwarmInspect"/> adds the join tokens for GET /swarm
/// (the spec's allOf).</summary>
public class ClusterInfo
{
    public string ID { get; set; } = "";
    public ObjectVersion Version { get; set; } = new();
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public SwarmSpec Spec { get; set; } = new();
    public TlsInfo TLSInfo { get; set; } = new();
    public bool RootRotationInProgress { get; set; }
    public int DataPathPort { get; set; }
    public List<string> DefaultAddrPool { get; set; } = [];
    public int SubnetSize { get; set; }
}

/// <summary>GET /swarm.</summary>
public sealed class SwarmInspect : ClusterInfo
{
    public JoinTokens JoinTokens { get; set; } = new();
}

public sealed class ObjectVersion
{
    public long Index { get; set; }
}

public sealed class JoinTokens
{
    public string Worker { get; set; } = "";
    public string Manager { get; set; } = "";
}

/// <summary>The swarm's root CA. A swarm of one issues no certificates (nothing joins it), so it is empty.</summary>
public sealed class TlsInfo
{
    public string TrustRoot { get; set; } = "";
    public string CertIssuerSubject { get; set; } = "";
    public string CertIssuerPublicKey { get; set; } = "";
}
