using Wharf.Daemon.Configuration;
using Wharf.Engine;
using Wharf.Engine.Containers.Spec;
using Wharf.Linux.Host;
using Wharf.Linux.Mounts;

namespace Wharf.Daemon.Composition;

/// <summary>The engine's options from the daemon's settings and what the host can do, read once at start.</summary>
internal static class DaemonEngineOptions
{
    public static EngineOptions From(DaemonSettings settings)
    {
        var options = new EngineOptions
        {
            DataRoot = settings.DataRoot,
            ExecRoot = settings.ExecRoot,
            RuntimePath = settings.Runtime,
            ShimPath = settings.ShimPath ?? DefaultShimPath(),
            HostNofileHardLimit = ResourceLimits.NofileHardLimit(),
            SwapLimitSupported = ResourceLimits.SwapAccountingEnabled(),
            CpuRealtimeSupported = ResourceLimits.CpuRealtimeSupported(),
            Blkio = ResourceLimits.BlkioSupport(),
            HostHardLimits = HostRlimits.Read(),
            HostCapabilities = Capabilities.FromMask(CapabilityBoundingSet.ReadSelf()),
            HostDevices = new LinuxHostDevices(),
            DefaultLogDriver = settings.LogDriver,
            DefaultLogOptions = settings.LogOpts,
            InitByDefault = settings.Init,
            // Docker: a private cgroup namespace by default on a cgroup v2 (unified) host, the host's on v1 and hybrid.
            DefaultCgroupnsMode = settings.DefaultCgroupnsMode ?? (HostFactsReader.DetectCgroupVersion(MountInfo.ReadSelf()) == "2" ? "private" : "host"),
            InitPath = settings.InitPath ?? InitOption.DefaultHostPath(),
        };
        return settings.CgroupParent is { Length: > 0 } cgroupParent
            ? options with { CgroupParent = "/" + cgroupParent.Trim('/') }
            : options;
    }

    /// <summary>wharf-shim installed beside wharfd, else on PATH.</summary>
    private static string DefaultShimPath()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wharf-shim");
        return File.Exists(beside) ? beside : "wharf-shim";
    }
}
