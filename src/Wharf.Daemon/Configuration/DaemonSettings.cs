namespace Wharf.Daemon.Configuration;

/// <summary>The daemon's effective settings: daemon.json, then command-line flags on top (as dockerd does,
/// except that dockerd refuses a key given both ways; we let the flag win and say so in the log).</summary>
internal sealed record DaemonSettings
{
    public const string DefaultConfigFile = "/etc/wharf/daemon.json";
    public const string DefaultHost = "unix:///run/wharf/wharf.sock";

    public string DataRoot { get; init; } = "/var/lib/wharf";
    public string ExecRoot { get; init; } = "/run/wharf";
    public IReadOnlyList<string> Hosts { get; init; } = [DefaultHost];
    public string Runtime { get; init; } = "runc";
    public string? ShimPath { get; init; }
    public bool Debug { get; init; }
    public string? PidFile { get; init; }
    public string ConfigFile { get; init; } = DefaultConfigFile;
    public TlsSettings Tls { get; init; } = new();
    /// <summary>daemon.json "log-driver" / "log-opts": defaults for containers that name no driver.</summary>
    public string LogDriver { get; init; } = "json-file";
    public IReadOnlyDictionary<string, string> LogOpts { get; init; } = new Dictionary<string, string>();
    /// <summary>daemon.json "default-cgroupns-mode" / --default-cgroupns-mode: "host" or "private" for containers that
    /// do not say; null picks Docker's default for the host (private on a cgroup v2 host, host otherwise).</summary>
    public string? DefaultCgroupnsMode { get; init; }
    /// <summary>daemon.json "experimental" / --experimental: turns on what Docker gates behind experimental mode
    /// (docker build --squash), and /info, /version and the Docker-Experimental header say so.</summary>
    public bool Experimental { get; init; }
    /// <summary>daemon.json "init": --init for every container that does not say otherwise.</summary>
    public bool Init { get; init; }
    /// <summary>daemon.json "init-path": the static init binary; null picks the host's tini.</summary>
    public string? InitPath { get; init; }
    /// <summary>daemon.json "bridge": the default bridge's Linux name (null: wharf0, or a unique name for a daemon
    /// with a non-default exec root, so test daemons never share one).</summary>
    public string? Bridge { get; init; }
    /// <summary>daemon.json "iptables": false leaves the firewall alone.</summary>
    public bool Iptables { get; init; } = true;
    /// <summary>daemon.json "detach-keys": the default for attach and exec when a request names none.</summary>
    public string? DetachKeys { get; init; }

    /// <summary>`--cgroup-parent` / daemon.json "cgroup-parent": where containers' cgroups go (default /wharf); daemons
    /// side by side (scripts/cluster-up.sh) keep apart with one each.</summary>
    public string? CgroupParent { get; init; }
    /// <summary>`--cluster-store` / daemon.json "cluster-store": the etcd URL ("etcd://HOST:PORT[,HOST:PORT]") that
    /// global (overlay) networks keep their state in; null: no cluster.</summary>
    public string? ClusterStore { get; init; }
    /// <summary>`--cluster-advertise` / "cluster-advertise": the underlay address other daemons reach this one on
    /// (IP, IP:PORT or INTERFACE[:PORT]).</summary>
    public string? ClusterAdvertise { get; init; }
    /// <summary>`--cluster-store-opt K=V` / "cluster-store-opts": kv.cacertfile, kv.certfile, kv.keyfile (TLS to
    /// etcd), discovery.ttl, discovery.heartbeat.</summary>
    public IReadOnlyDictionary<string, string> ClusterStoreOpts { get; init; } = new Dictionary<string, string>();

    public string EffectivePidFile => PidFile ?? Path.Combine(ExecRoot, "wharfd.pid");
}
