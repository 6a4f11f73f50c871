namespace Wharf.Engine;

/// <summary>Where the engine keeps its state and which helper binaries it runs. Built by the daemon from
/// daemon.json and flags.</summary>
public sealed record EngineOptions
{
    public string DataRoot { get; init; } = "/var/lib/wharf";
    public string ExecRoot { get; init; } = "/run/wharf";
    /// <summary>The OCI runtime binary (runc).</summary>
    public string RuntimePath { get; init; } = "runc";
    /// <summary>The wharf-shim binary.</summary>
    public string ShimPath { get; init; } = "wharf-shim";
    /// <summary>The host's hard RLIMIT_NOFILE: containers may not be given more (this VM refuses it).</summary>
    public ulong HostNofileHardLimit { get; init; } = 1048576;
    /// <summary>The host resolv.conf the containers' resolv.conf is derived from.</summary>
    public string HostResolvConf { get; init; } = "/etc/resolv.conf";
    /// <summary>The host hosts file that --network host containers get a copy of.</summary>
    public string HostHostsFile { get; init; } = "/etc/hosts";
    /// <summary>Parent of every container's cgroup ("/wharf/&lt;id&gt;" with the cgroupfs driver).</summary>
    public string CgroupParent { get; init; } = "/wharf";
    /// <summary>False when the memory controller has no swap accounting (memory.memsw.* missing on cgroup v1):
    /// then a swap limit must not be written, or runc fails.</summary>
    public bool SwapLimitSupported { get; init; } = true;
    /// <summary>True when the cpu controller has the real-time group scheduler (cgroup v1 cpu.rt_runtime_us): only then
    /// may a container set --cpu-rt-period / --cpu-rt-runtime (Docker refuses them otherwise).</summary>
    public bool CpuRealtimeSupported { get; init; }
    /// <summary>The blkio knobs the host's cgroups offer; what is missing is dropped at create with Docker's warning.</summary>
    public Containers.Resources.BlkioSupport Blkio { get; init; } = Containers.Resources.BlkioSupport.All;
    /// <summary>The daemon's hard rlimits by Docker's --ulimit name ("nofile", ...): a container's ulimit may not
    /// exceed them. Absent names are not checked.</summary>
    public IReadOnlyDictionary<string, ulong> HostHardLimits { get; init; } = new Dictionary<string, ulong>();
    /// <summary>The daemon's capability bounding set (from /proc/self/status); null = not known, assume all.</summary>
    public IReadOnlyList<string>? HostCapabilities { get; init; }
    /// <summary>Looks up host device nodes for --device and --privileged; null = no device support (tests).</summary>
    public Wharf.Core.Host.IHostDevices? HostDevices { get; init; }
    /// <summary>daemon.json "log-driver": the driver of containers that do not name one.</summary>
    public string DefaultLogDriver { get; init; } = "json-file";
    /// <summary>daemon.json "log-opts": options of containers that use the default driver and give none.</summary>
    public IReadOnlyDictionary<string, string> DefaultLogOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>How long a freshly spawned shim may take to listen on its socket.</summary>
    public TimeSpan ShimReadyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string RuntimeRoot => Path.Combine(ExecRoot, "runc");

    /// <summary>The cgroup namespace of containers that do not say (--cgroupns): "private" or "host". The daemon
    /// picks Docker's default for the host's cgroup layout unless daemon.json says otherwise.</summary>
    public string DefaultCgroupnsMode { get; init; } = "host";

    /// <summary>daemon.json "init": run --init for containers that do not say (HostConfig.Init null).</summary>
    public bool InitByDefault { get; init; }

    /// <summary>The static init binary bind-mounted at /sbin/docker-init for --init (daemon.json "init-path").</summary>
    public string InitPath { get; init; } = Containers.Spec.InitOption.DefaultHostPath();
}
