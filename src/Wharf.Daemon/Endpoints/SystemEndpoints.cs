using System.Runtime.InteropServices;
using Wharf.Api;
using Wharf.Api.System;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Images;
using Wharf.Engine.Networks;
using Wharf.Engine.Swarm;

namespace Wharf.Daemon.Endpoints;

/// <summary>/_ping, /version, /info.</summary>
internal static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/_ping", ["GET", "HEAD"], Ping);
        app.MapGet("/version", VersionAsync);
        app.MapGet("/info", InfoAsync);
    }

    private static IResult Ping(HttpContext context, SwarmService swarm)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, no-store, must-revalidate";
        headers.Pragma = "no-cache";
        headers["Builder-Version"] = "1";
        // Docker's "<state>/<role>": the CLI reads it to offer the swarm commands.
        headers["Swarm"] = swarm.IsActive ? "active/manager" : "inactive";
        return HttpMethods.IsHead(context.Request.Method)
            ? Results.Text("", "text/plain; charset=utf-8")
            : Results.Text("OK", "text/plain; charset=utf-8");
    }

    private static async Task<IResult> VersionAsync(HostInventory inventory, DaemonSettings settings)
    {
        var runc = await inventory.Runc;
        var engine = new Dictionary<string, string>
        {
            ["ApiVersion"] = ApiVersions.Current,
            ["Arch"] = GoArch(),
            ["BuildTime"] = BuildTime(),
            ["Experimental"] = settings.Experimental ? "true" : "false",
            ["GitCommit"] = "wharf",
            ["GoVersion"] = ".NET " + Environment.Version,
            ["KernelVersion"] = inventory.Host.KernelVersion,
            ["MinAPIVersion"] = ApiVersions.Minimum,
            ["Os"] = "linux",
        };
        var version = new SystemVersion
        {
            Platform = new VersionPlatform { Name = "Wharf Engine" },
            Components =
            [
                new ComponentVersion { Name = "Engine", Version = ApiVersions.EngineVersion, Details = engine },
                new ComponentVersion { Name = "runc", Version = runc.Version, Details = new() { ["GitCommit"] = runc.Commit } },
                new ComponentVersion { Name = "wharf-shim", Version = ApiVersions.EngineVersion, Details = new() { ["GitCommit"] = "wharf" } },
            ],
            Version = ApiVersions.EngineVersion,
            ApiVersion = ApiVersions.Current,
            MinAPIVersion = ApiVersions.Minimum,
            GitCommit = "wharf",
            GoVersion = ".NET " + Environment.Version,
            Os = "linux",
            Arch = GoArch(),
            KernelVersion = inventory.Host.KernelVersion,
            Experimental = settings.Experimental,
            BuildTime = BuildTime(),
        };
        return Results.Json(version, ApiJsonContext.Default.SystemVersion);
    }

    private static async Task<IResult> InfoAsync(HostInventory inventory, DaemonSettings settings, ContainerService containers, ImageService images, NetworkService networks, SwarmService swarm, TimeProvider time)
    {
        var runc = await inventory.Runc;
        var (running, paused, stopped) = containers.CountByState();
        var host = inventory.Host;
        var info = new SystemInfo
        {
            ID = inventory.EngineId,
            Containers = running + paused + stopped,
            ContainersRunning = running,
            ContainersPaused = paused,
            ContainersStopped = stopped,
            Images = images.List().Count,
            Driver = "overlay2",
            DriverStatus = [["Backing Filesystem", BackingFilesystem(settings.DataRoot)], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"]],
            DockerRootDir = settings.DataRoot,
            Plugins = new PluginsInfo { Volume = ["local"], Network = [.. networks.Drivers.Names], Log = ["json-file", "local", "none"] },
            MemoryLimit = true,
            SwapLimit = false,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CPUShares = true,
            CPUSet = true,
            PidsLimit = true,
            OomKillDisable = host.CgroupVersion == "1",
            Debug = settings.Debug,
            ExperimentalBuild = settings.Experimental,
            NFd = Directory.GetFiles("/proc/self/fd").Length,
            NGoroutines = Environment.ProcessorCount + System.Threading.ThreadPool.ThreadCount,
            SystemTime = ContainerMapper.FormatTime(time.GetLocalNow()),
            LoggingDriver = settings.LogDriver,
            CgroupDriver = host.CgroupDriver,
            CgroupVersion = host.CgroupVersion,
            KernelVersion = host.KernelVersion,
            OperatingSystem = host.OperatingSystem,
            OSVersion = "",
            OSType = host.OSType,
            Architecture = host.Architecture,
            NCPU = host.NCPU,
            MemTotal = host.MemTotal,
            Name = host.Hostname,
            ServerVersion = ApiVersions.EngineVersion,
            Runtimes = new() { ["runc"] = new RuntimeInfo { Path = settings.Runtime } },
            DefaultRuntime = "runc",
            RuncCommit = new CommitInfo { ID = runc.Commit },
            ContainerdCommit = new CommitInfo { ID = "" },
            InitCommit = new CommitInfo { ID = "" },
            SecurityOptions = ["name=seccomp,profile=builtin"],
            Swarm = SwarmMapper.ToInfo(swarm.CurrentOrNull),
            ClusterStore = settings.ClusterStore ?? "",
            ClusterAdvertise = settings.ClusterAdvertise ?? "",
            Warnings = host.CgroupVersion == "1" ? ["WARNING: No swap limit support"] : [],
        };
        return Results.Json(info, ApiJsonContext.Default.SystemInfo);
    }

    private static string GoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The daemon executable's modification time (a native single-file daemon has no assembly file of its
    /// own to date).</summary>
    private static string BuildTime() => ContainerMapper.FormatTime(File.GetLastWriteTimeUtc(Environment.ProcessPath ?? AppContext.BaseDirectory));

    private static string BackingFilesystem(string dataRoot)
    {
        try { return new DriveInfo(dataRoot).DriveFormat; }
        catch (Exception e) when (e is IOException or ArgumentException) { return "unknown"; }
    }
}
