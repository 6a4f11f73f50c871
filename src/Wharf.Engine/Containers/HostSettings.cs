namespace Wharf.Engine.Containers;

/// <summary>How the host runs the container (Docker's "HostConfig"), the parts Wharf honours.</summary>
public sealed class HostSettings
{
    public bool AutoRemove { get; set; }
    public bool ReadonlyRootfs { get; set; }
    public bool Privileged { get; set; }
    /// <summary>Null: the daemon's default ("init" in daemon.json) decides, as in Docker.</summary>
    public bool? Init { get; set; }
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
    public string CpusetMems { get; set; } = "";
    /// <summary>0-100; null keeps the kernel's default.</summary>
    public long? MemorySwappiness { get; set; }
    public bool OomKillDisable { get; set; }
    public int OomScoreAdj { get; set; }
    public int BlkioWeight { get; set; }
    public List<UlimitSetting> Ulimits { get; set; } = [];
    public long? PidsLimit { get; set; }
    public long ShmSize { get; set; }
    public List<string> CapAdd { get; set; } = [];
    public List<string> CapDrop { get; set; } = [];
    public List<string> Dns { get; set; } = [];
    public List<string> DnsSearch { get; set; } = [];
    public List<string> DnsOptions { get; set; } = [];
    public List<string> ExtraHosts { get; set; } = [];
    public List<string> Binds { get; set; } = [];
    /// <summary>--mount entries (HostConfig.Mounts).</summary>
    public List<Mounts.MountRequest> Mounts { get; set; } = [];
    /// <summary>--tmpfs: destination -> mount options ("size=64m,mode=1777").</summary>
    public Dictionary<string, string> Tmpfs { get; set; } = [];
    /// <summary>--volumes-from: "container[:ro|:rw]".</summary>
    public List<string> VolumesFrom { get; set; } = [];
    /// <summary>--volume-driver: the driver for volumes this container creates ("" = local).</summary>
    public string VolumeDriver { get; set; } = "";
    public string LogDriver { get; set; } = "json-file";
    public Dictionary<string, string> LogOptions { get; set; } = [];
    public int ConsoleHeight { get; set; }
    public int ConsoleWidth { get; set; }
    /// <summary>Docker's SecurityOpt strings (seccomp=..., no-new-privileges, label=..., apparmor=...).</summary>
    public List<string> SecurityOpt { get; set; } = [];
    public List<Security.DeviceMappingSetting> Devices { get; set; } = [];
    public List<string> GroupAdd { get; set; } = [];
    public Dictionary<string, string> Sysctls { get; set; } = [];
    /// <summary>Networks to connect at start (keyed by network name, the primary one included) with their settings.</summary>
    public Dictionary<string, Networks.EndpointRequest> EndpointsConfig { get; set; } = [];
    /// <summary>-p: "80/tcp" → host bindings.</summary>
    public Dictionary<string, List<Networks.PortMapping>> PortBindings { get; set; } = [];
    public bool PublishAllPorts { get; set; }
    /// <summary>--link "name:alias" (hosts entries on the default bridge).</summary>
    public List<string> Links { get; set; } = [];
    /// <summary>--pid: "" (own namespace) or "host".</summary>
    public string PidMode { get; set; } = "";
    /// <summary>--uts: "" (own namespace) or "host".</summary>
    public string UtsMode { get; set; } = "";
    /// <summary>--cgroupns: "" or "host" (the host's cgroup namespace, Wharf's default) or "private".</summary>
    public string CgroupnsMode { get; set; } = "";
    /// <summary>--isolation: on Linux only "" or "default", kept as given.</summary>
    public string Isolation { get; set; } = "";
    /// <summary>--device-cgroup-rule "c 7:128 rwm": more devices the container may use.</summary>
    public List<string> DeviceCgroupRules { get; set; } = [];
    /// <summary>--annotation: passed through to the OCI runtime spec's annotations (API 1.43+).</summary>
    public Dictionary<string, string> Annotations { get; set; } = [];
    /// <summary>--cgroup-parent: the cgroup the container's own cgroup is made under ("": the daemon's).</summary>
    public string CgroupParent { get; set; } = "";
    /// <summary>--blkio-weight-device "/dev/sda:200".</summary>
    public List<BlkioDeviceSetting> BlkioWeightDevice { get; set; } = [];
    /// <summary>--device-read-bps and the other throttles: a device path and a rate (bytes or IO operations per second).</summary>
    public List<BlkioDeviceSetting> BlkioDeviceReadBps { get; set; } = [];
    public List<BlkioDeviceSetting> BlkioDeviceWriteBps { get; set; } = [];
    public List<BlkioDeviceSetting> BlkioDeviceReadIOps { get; set; } = [];
    public List<BlkioDeviceSetting> BlkioDeviceWriteIOps { get; set; } = [];
    /// <summary>--cpu-rt-period / --cpu-rt-runtime, in microseconds (0: not set).</summary>
    public long CpuRealtimePeriod { get; set; }
    public long CpuRealtimeRuntime { get; set; }
}
