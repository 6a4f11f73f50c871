namespace Wharf.Compose.Model;

/// <summary>One service, normalised: lists in long form, durations parsed, paths absolute.</summary>
public sealed class ServiceConfig
{
    public string Name { get; set; } = "";

    public string? Image { get; set; }

    public BuildConfig? Build { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Entrypoint { get; set; }

    public SortedDictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public List<PortConfig> Ports { get; } = [];

    public List<string> Expose { get; } = [];

    public List<ServiceVolume> Volumes { get; } = [];

    /// <summary>Networks the service joins; null when network_mode is set.</summary>
    public SortedDictionary<string, ServiceNetwork> Networks { get; } = new(StringComparer.Ordinal);

    public string? NetworkMode { get; set; }

    public SortedDictionary<string, DependsOn> DependsOn { get; } = new(StringComparer.Ordinal);

    /// <summary>links: "service" or "service:alias", as written (each also an implicit depends_on).</summary>
    public List<string> Links { get; } = [];

    /// <summary>external_links: "container" or "container:alias", containers outside the project (no dependency).</summary>
    public List<string> ExternalLinks { get; } = [];

    /// <summary>volumes_from: "service[:ro|rw]" or "container:name[:ro|rw]", as written.</summary>
    public List<string> VolumesFrom { get; } = [];

    public HealthcheckConfig? Healthcheck { get; set; }

    public string? Restart { get; set; }

    public int? Replicas { get; set; }

    public long? MemoryLimit { get; set; }

    public double? CpuLimit { get; set; }

    public long? PidsLimit { get; set; }

    /// <summary>The top-level cpus:, mem_limit: and pids_limit: as written (the values above are the effective
    /// ones, from these or from deploy.resources.limits).</summary>
    public double? TopLevelCpus { get; set; }

    public long? TopLevelMemLimit { get; set; }

    public long? TopLevelPidsLimit { get; set; }

    public DeploySettings? Deploy { get; set; }

    public string? Domainname { get; set; }

    // Engine settings passed through as they are (HostConfig fields of the same meaning).
    public string? Ipc { get; set; }

    public string? Pid { get; set; }

    public string? UsernsMode { get; set; }

    public string? Uts { get; set; }

    public string? Runtime { get; set; }

    public string? CgroupParent { get; set; }

    public string? Cgroup { get; set; }

    public string? Isolation { get; set; }

    public string? Cpuset { get; set; }

    public string? MacAddress { get; set; }

    public long? CpuShares { get; set; }

    public long? CpuQuota { get; set; }

    public long? CpuPeriod { get; set; }

    public long? OomScoreAdj { get; set; }

    public long? MemReservation { get; set; }

    public long? MemswapLimit { get; set; }

    public bool OomKillDisable { get; set; }

    public List<string> SecurityOpt { get; } = [];

    public List<string> GroupAdd { get; } = [];

    public List<string> DnsOpt { get; } = [];

    public List<string> DeviceCgroupRules { get; } = [];

    public List<DeviceConfig> Devices { get; } = [];

    public SortedDictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> StorageOpt { get; } = new(StringComparer.Ordinal);

    /// <summary>attach: false keeps the service's logs out of an attached "up" (null: not said).</summary>
    public bool? Attach { get; set; }

    public string? User { get; set; }

    public string? WorkingDir { get; set; }

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public LoggingConfig? Logging { get; set; }

    public List<string> CapAdd { get; } = [];

    public List<string> CapDrop { get; } = [];

    public bool Privileged { get; set; }

    public List<string> ExtraHosts { get; } = [];

    public List<string> Dns { get; } = [];

    public List<string> DnsSearch { get; } = [];

    public SortedDictionary<string, UlimitConfig> Ulimits { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal);

    public bool? Init { get; set; }

    public string? StopSignal { get; set; }

    public TimeSpan? StopGracePeriod { get; set; }

    public List<string> Profiles { get; } = [];

    public string? PullPolicy { get; set; }

    public string? ContainerName { get; set; }

    public string? Hostname { get; set; }

    public bool Tty { get; set; }

    public bool StdinOpen { get; set; }

    public bool ReadOnly { get; set; }

    public List<string> Tmpfs { get; } = [];

    public List<FileReference> Secrets { get; } = [];

    public List<FileReference> Configs { get; } = [];

    public string? Platform { get; set; }

    public long? ShmSize { get; set; }

    /// <summary>The image the service runs: its image, or the one compose builds ("project-service").</summary>
    public string ImageName(string project) => Image ?? $"{project}-{Name}";

    public int Scale => Replicas ?? 1;
}
