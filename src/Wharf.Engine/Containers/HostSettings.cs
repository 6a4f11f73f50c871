namespace Wharf.Engine.Containers;

/// <summary>How the host runs the container (Docker's "HostConfig"), the parts Wharf honours.</summary>
public sealed class HostSettings
{
    public bool AutoRemove { get; set; }
    public bool ReadonlyRootfs { get; set; }
    public bool Privileged { get; set; }
    public bool Init { get; set; }
    /// <summary>"default" is stored as "bridge", like Docker reports it. Until the networking issue lands every
    /// container gets its own network namespace with loopback only (or the host's with "host").</summary>
    public string NetworkMode { get; set; } = "bridge";
    public string RestartPolicy { get; set; } = "no";
    public int RestartMaxRetries { get; set; }
    public long Memory { get; set; }
    public long MemorySwap { get; set; }
    public long MemoryReservation { get; set; }
    public long NanoCpus { get; set; }
    public long CpuShares { get; set; }
    public long CpuQuota { get; set; }
    public long CpuPeriod { get; set; }
    public string CpusetCpus { get; set; } = "";
    public long? PidsLimit { get; set; }
    public long ShmSize { get; set; }
    public List<string> CapAdd { get; set; } = [];
    public List<string> CapDrop { get; set; } = [];
    public List<string> Dns { get; set; } = [];
    public List<string> DnsSearch { get; set; } = [];
    public List<string> DnsOptions { get; set; } = [];
    public List<string> ExtraHosts { get; set; } = [];
    public List<string> Binds { get; set; } = [];
    public string LogDriver { get; set; } = "json-file";
    public Dictionary<string, string> LogOptions { get; set; } = [];
    public int ConsoleHeight { get; set; }
    public int ConsoleWidth { get; set; }
    /// <summary>Networks to connect at start (keyed by network name, the primary one included) with their settings.</summary>
    public Dictionary<string, Networks.EndpointRequest> EndpointsConfig { get; set; } = [];
    /// <summary>-p: "80/tcp" → host bindings.</summary>
    public Dictionary<string, List<Networks.PortMapping>> PortBindings { get; set; } = [];
    public bool PublishAllPorts { get; set; }
    /// <summary>--link "name:alias" (hosts entries on the default bridge).</summary>
    public List<string> Links { get; set; } = [];
}
