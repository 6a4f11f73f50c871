namespace Wharf.Api.Swarm;

/// <summary>GET /nodes/{id} (the spec's Node).</summary>
public sealed class NodeResource
{
    public string ID { get; set; } = "";
    public ObjectVersion Version { get; set; } = new();
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public NodeSpec Spec { get; set; } = new();
    public NodeDescription Description { get; set; } = new();
    public NodeStatus Status { get; set; } = new();
    public ManagerStatus ManagerStatus { get; set; } = new();
}

public sealed class NodeSpec
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    /// <summary>"worker" or "manager".</summary>
    public string? Role { get; set; }
    /// <summary>"active", "pause" or "drain".</summary>
    public string? Availability { get; set; }
}

public sealed class NodeDescription
{
    public string Hostname { get; set; } = "";
    public NodePlatform Platform { get; set; } = new();
    public NodeResources Resources { get; set; } = new();
    public NodeEngine Engine { get; set; } = new();
    public TlsInfo TLSInfo { get; set; } = new();
}

public sealed class NodePlatform
{
    public string Architecture { get; set; } = "";
    public string OS { get; set; } = "";
}

public sealed class NodeResources
{
    public long NanoCPUs { get; set; }
    public long MemoryBytes { get; set; }
}

public sealed class NodeEngine
{
    public string EngineVersion { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public List<NodeEnginePlugin> Plugins { get; set; } = [];
}

public sealed class NodeEnginePlugin
{
    public string Type { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class NodeStatus
{
    /// <summary>"ready" for this node.</summary>
    public string State { get; set; } = "";
    public string Message { get; set; } = "";
    public string Addr { get; set; } = "";
}

public sealed class ManagerStatus
{
    public bool Leader { get; set; }
    public string Reachability { get; set; } = "";
    public string Addr { get; set; } = "";
}
