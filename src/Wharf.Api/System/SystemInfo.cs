using Wharf.Api.Common;

namespace Wharf.Api.System;

/// <summary>GET /info response.</summary>
public sealed class SystemInfo
{
    public string ID { get; set; } = "";
    public int Containers { get; set; }
    public int ContainersRunning { get; set; }
    public int ContainersPaused { get; set; }
    public int ContainersStopped { get; set; }
    public int Images { get; set; }
    public string Driver { get; set; } = "";
    public List<List<string>>? DriverStatus { get; set; }
    public List<List<string>>? SystemStatus { get; set; }
    public string DockerRootDir { get; set; } = "";
    public PluginsInfo Plugins { get; set; } = new();
    public bool MemoryLimit { get; set; }
    public bool SwapLimit { get; set; }
    public bool KernelMemoryTCP { get; set; }
    public bool CpuCfsPeriod { get; set; }
    public bool CpuCfsQuota { get; set; }
    public bool CPUShares { get; set; }
    public bool CPUSet { get; set; }
    public bool PidsLimit { get; set; }
    public bool IPv4Forwarding { get; set; }
    public bool BridgeNfIptables { get; set; }
    public bool BridgeNfIp6tables { get; set; }
    public bool OomKillDisable { get; set; }
    public bool Debug { get; set; }
    public int NFd { get; set; }
    public int NGoroutines { get; set; }
    /// <summary>RFC3339Nano.</summary>
    public string SystemTime { get; set; } = "";
    public string LoggingDriver { get; set; } = "json-file";
    public string CgroupDriver { get; set; } = "";
    public string CgroupVersion { get; set; } = "";
    public int NEventsListener { get; set; }
    public string KernelVersion { get; set; } = "";
    public string OperatingSystem { get; set; } = "";
    public string OSVersion { get; set; } = "";
    public string OSType { get; set; } = "linux";
    public string Architecture { get; set; } = "";
    public int NCPU { get; set; }
    public long MemTotal { get; set; }
    public string IndexServerAddress { get; set; } = "https://index.docker.io/v1/";
    public RegistryServiceConfig RegistryConfig { get; set; } = new();
    public List<global::System.Text.Json.JsonElement>? GenericResources { get; set; }
    public string HttpProxy { get; set; } = "";
    public string HttpsProxy { get; set; } = "";
    public string NoProxy { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Labels { get; set; } = [];
    public bool ExperimentalBuild { get; set; }
    public string ServerVersion { get; set; } = "";
    public Dictionary<string, RuntimeInfo> Runtimes { get; set; } = [];
    public string DefaultRuntime { get; set; } = "runc";
    public SwarmInfo Swarm { get; set; } = new();
    public bool LiveRestoreEnabled { get; set; }
    public string Isolation { get; set; } = "";
    public string InitBinary { get; set; } = "";
    public CommitInfo ContainerdCommit { get; set; } = new();
    public CommitInfo RuncCommit { get; set; } = new();
    public CommitInfo InitCommit { get; set; } = new();
    /// <summary>Comma-separated k=v strings, e.g. "name=seccomp,profile=builtin".</summary>
    public List<string> SecurityOptions { get; set; } = [];
    public string ProductLicense { get; set; } = "";
    public List<AddressPool>? DefaultAddressPools { get; set; }
    public List<string>? CDISpecDirs { get; set; }
    public List<string>? Warnings { get; set; }
    /// <summary>The cluster store URL (`--cluster-store`), "" without one (API 1.43 and older had it; kept for the
    /// daemon's overlay networks, issue 18).</summary>
    public string ClusterStore { get; set; } = "";
    /// <summary>The address this daemon advertises to the cluster (`--cluster-advertise`), "" without one.</summary>
    public string ClusterAdvertise { get; set; } = "";

    /// <summary>Placeholder so clients that probe for containerd info see a well-formed object.</summary>
    public EmptyObject? Containerd { get; set; }
}
