using System.Globalization;
using Wharf.Api.Common;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Dto = Wharf.Api.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Mapping;

/// <summary>Container DTOs (Docker's JSON shapes) to and from the engine's records. Mechanical by design: the
/// engine decides, this only translates.</summary>
internal static class ContainerMapper
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>The masked and read-only paths the spec builder applies, so inspect reports exactly those.</summary>
    private static readonly Wharf.Core.Oci.RuntimeSpec DefaultConfinement =
        Engine.Containers.Spec.SpecBuilder.WithMaskedPaths(Engine.Containers.Spec.SpecBuilder.NewSpec("/", ["/bin/true"]), privileged: false);

    public static ContainerCreateParams ToCreateParams(Dto.ContainerCreateRequest body, string? name)
    {
        var hc = body.HostConfig ?? new Dto.HostConfig();
        var config = new ContainerConfig
        {
            Hostname = body.Hostname ?? "",
            Domainname = body.Domainname ?? "",
            User = body.User ?? "",
            AttachStdin = body.AttachStdin,
            AttachStdout = body.AttachStdout,
            AttachStderr = body.AttachStderr,
            Tty = body.Tty,
            OpenStdin = body.OpenStdin,
            StdinOnce = body.StdinOnce,
            Env = body.Env ?? [],
            Cmd = body.Cmd is { Count: > 0 } ? body.Cmd : null,
            Entrypoint = body.Entrypoint,
            Image = body.Image ?? "",
            WorkingDir = body.WorkingDir ?? "",
            Labels = body.Labels ?? [],
            StopSignal = string.IsNullOrEmpty(body.StopSignal) ? null : body.StopSignal,
            StopTimeout = body.StopTimeout,
            ExposedPorts = body.ExposedPorts?.Keys.ToList() ?? [],
            Volumes = body.Volumes?.Keys.ToList() ?? [],
            Healthcheck = HealthMapper.ToSettings(body.Healthcheck),
        };
        var host = new HostSettings
        {
            AutoRemove = hc.AutoRemove,
            ReadonlyRootfs = hc.ReadonlyRootfs,
            Privileged = hc.Privileged,
            Init = hc.Init,
            NetworkMode = hc.NetworkMode ?? "default",
            RestartPolicy = hc.RestartPolicy?.Name ?? "no",
            RestartMaxRetries = hc.RestartPolicy?.MaximumRetryCount ?? 0,
            Memory = hc.Memory,
            MemorySwap = hc.MemorySwap,
            MemoryReservation = hc.MemoryReservation,
            NanoCpus = hc.NanoCpus,
            CpuShares = hc.CpuShares,
            CpuQuota = hc.CpuQuota,
            CpuPeriod = hc.CpuPeriod,
            CpusetCpus = hc.CpusetCpus ?? "",
            CpusetMems = hc.CpusetMems ?? "",
            MemorySwappiness = hc.MemorySwappiness is >= 0 ? hc.MemorySwappiness : hc.MemorySwappiness is < -1 ? hc.MemorySwappiness : null,
            OomKillDisable = hc.OomKillDisable ?? false,
            OomScoreAdj = hc.OomScoreAdj,
            BlkioWeight = hc.BlkioWeight,
            Ulimits = hc.Ulimits?.Select(u => new UlimitSetting { Name = u.Name ?? "", Soft = u.Soft, Hard = u.Hard }).ToList() ?? [],
            PidsLimit = hc.PidsLimit is > 0 ? hc.PidsLimit : null,
            ShmSize = hc.ShmSize,
            CapAdd = hc.CapAdd ?? [],
            CapDrop = hc.CapDrop ?? [],
            Dns = hc.Dns ?? [],
            DnsSearch = hc.DnsSearch ?? [],
            DnsOptions = hc.DnsOptions ?? [],
            ExtraHosts = hc.ExtraHosts ?? [],
            Binds = hc.Binds ?? [],
            LogDriver = hc.LogConfig?.Type ?? "", // "": the daemon's default driver (daemon.json "log-driver")
            Mounts = hc.Mounts?.Select(StorageMapper.ToMountRequest).ToList() ?? [],
            Tmpfs = hc.Tmpfs ?? [],
            VolumesFrom = hc.VolumesFrom ?? [],
            VolumeDriver = hc.VolumeDriver ?? "",
            LogOptions = hc.LogConfig?.Config ?? [],
            ConsoleHeight = hc.ConsoleSize is [var h, _] ? h : 0,
            ConsoleWidth = hc.ConsoleSize is [_, var w] ? w : 0,
            SecurityOpt = hc.SecurityOpt ?? [],
            Devices = hc.Devices?.Select(d => new Engine.Containers.Security.DeviceMappingSetting
            {
                PathOnHost = d.PathOnHost ?? "",
                PathInContainer = d.PathInContainer ?? "",
                CgroupPermissions = d.CgroupPermissions ?? "",
            }).ToList() ?? [],
            GroupAdd = hc.GroupAdd ?? [],
            Sysctls = hc.Sysctls ?? [],
            EndpointsConfig = NetworkMapper.ToEndpointRequests(body.NetworkingConfig),
            PortBindings = NetworkMapper.ToPortBindings(hc.PortBindings),
            PublishAllPorts = hc.PublishAllPorts,
            Links = hc.Links ?? [],
            PidMode = NamespaceMode(hc.PidMode, "PID"),
            UtsMode = NamespaceMode(hc.UTSMode, "UTS"),
            CgroupnsMode = CgroupnsMode(hc.CgroupnsMode),
            Isolation = Isolation(hc.Isolation),
            DeviceCgroupRules = hc.DeviceCgroupRules?.Where(r => !string.IsNullOrEmpty(r)).ToList() ?? [],
            Annotations = hc.Annotations ?? [],
            CgroupParent = hc.CgroupParent ?? "",
            BlkioWeightDevice = Blkio(hc.BlkioWeightDevice),
            BlkioDeviceReadBps = Blkio(hc.BlkioDeviceReadBps),
            BlkioDeviceWriteBps = Blkio(hc.BlkioDeviceWriteBps),
            BlkioDeviceReadIOps = Blkio(hc.BlkioDeviceReadIOps),
            BlkioDeviceWriteIOps = Blkio(hc.BlkioDeviceWriteIOps),
            CpuRealtimePeriod = hc.CpuRealtimePeriod,
            CpuRealtimeRuntime = hc.CpuRealtimeRuntime,
        };
        // Windows-only and storage-driver settings are answered as dockerd on Linux with overlay2 answers them.
        Engine.Containers.Resources.PlatformResources.Validate(hc.StorageOpt, hc.IOMaximumBandwidth, hc.IOMaximumIOps);
        foreach (var rule in host.DeviceCgroupRules) Engine.Containers.Spec.DeviceCgroupRule.Parse(rule); // 400 at create, not at start
        var created = new ContainerCreateParams(name, config, host, body.MacAddress ?? "");
        CreateValidator.Validate(body, created);
        return created;
    }

    public static Dto.ContainerInspect ToInspect(ContainerSnapshot r, ContainerPaths paths) => new()
    {
        Id = r.Id,
        Created = FormatTime(r.Created),
        Path = r.Path,
        Args = [.. r.Args],
        State = new Dto.ContainerState
        {
            Status = r.State.Status,
            Running = r.State.Running,
            Paused = r.State.Paused,
            Restarting = r.State.Restarting,
            OOMKilled = r.State.OomKilled,
            Dead = r.State.Dead,
            Pid = r.State.Pid,
            ExitCode = r.State.ExitCode,
            Error = r.State.Error,
            StartedAt = r.State.StartedAt is { } s ? FormatTime(s) : ZeroTime,
            FinishedAt = r.State.FinishedAt is { } f ? FormatTime(f) : ZeroTime,
            Health = HealthMapper.ToDto(r.State.Health),
        },
        Image = r.ImageId,
        ResolvConfPath = paths.ResolvConfFile,
        HostnamePath = paths.HostnameFile,
        HostsPath = paths.HostsFile,
        LogPath = r.Host.LogDriver == "json-file" ? paths.LogFile : "", // Docker reports a path only for json-file
        Name = "/" + r.Name,
        RestartCount = r.RestartCount,
        Driver = "overlay2",
        Platform = "linux",
        HostConfig = ToHostConfig(r.Host, r.Name),
        GraphDriver = new Dto.GraphDriverData { Name = "overlay2", Data = null },
        Mounts = StorageMapper.ToMountPoints(r),
        Config = ToConfig(r.Config),
        NetworkSettings = new Dto.NetworkSettings
        {
            SandboxKey = "",
            Ports = r.Host.NetworkMode == "bridge" ? [] : null,
            Networks = new Dictionary<string, Dto.EndpointSettings>
            {
                [r.Host.NetworkMode] = new Dto.EndpointSettings(),
            },
        },
    };

    public static Dto.ContainerSummary ToSummary(ContainerSnapshot r, DateTimeOffset now) => new()
    {
        Id = r.Id,
        Names = ["/" + r.Name],
        Image = r.Config.Image,
        ImageID = r.ImageId,
        Command = string.Join(' ', new[] { r.Path }.Concat(r.Args)),
        Created = r.Created.ToUnixTimeSeconds(),
        Ports = [],
        Labels = r.Config.Labels,
        State = r.State.Status,
        Status = Engine.Containers.Filters.StatusText.For(r.State, now),
        HostConfig = new Dto.ContainerSummaryHostConfig { NetworkMode = r.Host.NetworkMode },
        NetworkSettings = new Dto.ContainerSummaryNetworkSettings
        {
            Networks = new Dictionary<string, Dto.EndpointSettings> { [r.Host.NetworkMode] = new Dto.EndpointSettings() },
        },
        Mounts = StorageMapper.ToMountPoints(r),
    };

    private static Dto.ContainerConfig ToConfig(ContainerConfig c) => new()
    {
        Hostname = c.Hostname,
        Domainname = c.Domainname,
        User = c.User,
        AttachStdin = c.AttachStdin,
        AttachStdout = c.AttachStdout,
        AttachStderr = c.AttachStderr,
        ExposedPorts = c.ExposedPorts.Count > 0 ? c.ExposedPorts.ToDictionary(p => p, _ => new EmptyObject()) : null,
        Tty = c.Tty,
        OpenStdin = c.OpenStdin,
        StdinOnce = c.StdinOnce,
        Env = c.Env,
        Cmd = c.Cmd,
        Image = c.Image,
        Volumes = c.Volumes.Count > 0 ? c.Volumes.ToDictionary(p => p, _ => new EmptyObject()) : null,
        WorkingDir = c.WorkingDir,
        Entrypoint = c.Entrypoint,
        OnBuild = null,
        Labels = c.Labels,
        StopSignal = c.StopSignal,
        StopTimeout = c.StopTimeout,
        Healthcheck = HealthMapper.ToDto(c.Healthcheck),
    };

    private static Dto.HostConfig ToHostConfig(HostSettings h, string name) => new()
    {
        AutoRemove = h.AutoRemove,
        ReadonlyRootfs = h.ReadonlyRootfs,
        Privileged = h.Privileged,
        Init = h.Init,
        NetworkMode = h.NetworkMode,
        RestartPolicy = new Dto.RestartPolicy { Name = h.RestartPolicy, MaximumRetryCount = h.RestartMaxRetries },
        Memory = h.Memory,
        MemorySwap = h.MemorySwap,
        MemoryReservation = h.MemoryReservation,
        NanoCpus = h.NanoCpus,
        CpuShares = h.CpuShares,
        CpuQuota = h.CpuQuota,
        CpuPeriod = h.CpuPeriod,
        CpusetCpus = h.CpusetCpus,
        CpusetMems = h.CpusetMems,
        MemorySwappiness = h.MemorySwappiness,
        OomKillDisable = h.OomKillDisable,
        OomScoreAdj = h.OomScoreAdj,
        BlkioWeight = h.BlkioWeight,
        Ulimits = h.Ulimits.Count > 0 ? h.Ulimits.Select(u => new Dto.Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard }).ToList() : null,
        PidsLimit = h.PidsLimit,
        ShmSize = h.ShmSize > 0 ? h.ShmSize : 64 * 1024 * 1024,
        CapAdd = h.CapAdd.Count > 0 ? h.CapAdd : null,
        CapDrop = h.CapDrop.Count > 0 ? h.CapDrop : null,
        Dns = h.Dns,
        DnsSearch = h.DnsSearch,
        DnsOptions = h.DnsOptions,
        ExtraHosts = h.ExtraHosts.Count > 0 ? h.ExtraHosts : null,
        Binds = h.Binds.Count > 0 ? h.Binds : null,
        Tmpfs = h.Tmpfs.Count > 0 ? h.Tmpfs : null,
        VolumesFrom = h.VolumesFrom.Count > 0 ? h.VolumesFrom : null,
        VolumeDriver = h.VolumeDriver,
        LogConfig = new Dto.LogConfig { Type = h.LogDriver, Config = h.LogOptions },
        ConsoleSize = [h.ConsoleHeight, h.ConsoleWidth],
        PortBindings = NetworkMapper.ToDtoPortBindings(h.PortBindings) ?? [],
        PublishAllPorts = h.PublishAllPorts,
        Links = h.Links.Count > 0 ? [.. h.Links.Select(l => Engine.Containers.Networking.LegacyLink.Parse(l).ToInspect(name))] : null,
        IpcMode = "private",
        PidMode = h.PidMode,
        UTSMode = h.UtsMode,
        UsernsMode = "",
        CgroupnsMode = h.CgroupnsMode.Length > 0 ? h.CgroupnsMode : "host",
        Runtime = "runc",
        Isolation = h.Isolation,
        DeviceCgroupRules = h.DeviceCgroupRules.Count > 0 ? h.DeviceCgroupRules : null,
        Annotations = h.Annotations.Count > 0 ? h.Annotations : null,
        CgroupParent = h.CgroupParent,
        BlkioWeightDevice = Blkio(h.BlkioWeightDevice),
        BlkioDeviceReadBps = Blkio(h.BlkioDeviceReadBps),
        BlkioDeviceWriteBps = Blkio(h.BlkioDeviceWriteBps),
        BlkioDeviceReadIOps = Blkio(h.BlkioDeviceReadIOps),
        BlkioDeviceWriteIOps = Blkio(h.BlkioDeviceWriteIOps),
        CpuRealtimePeriod = h.CpuRealtimePeriod,
        CpuRealtimeRuntime = h.CpuRealtimeRuntime,
        MaskedPaths = h.Privileged ? null : [.. DefaultConfinement.Linux.MaskedPaths],
        ReadonlyPaths = h.Privileged ? null : [.. DefaultConfinement.Linux.ReadonlyPaths],
        SecurityOpt = h.SecurityOpt.Count > 0 ? h.SecurityOpt : null,
        Devices = h.Devices.Select(d => new Dto.DeviceMapping { PathOnHost = d.PathOnHost, PathInContainer = d.PathInContainer, CgroupPermissions = d.CgroupPermissions }).ToList(),
        GroupAdd = h.GroupAdd.Count > 0 ? h.GroupAdd : null,
        Sysctls = h.Sysctls.Count > 0 ? h.Sysctls : null,
    };

    private static List<BlkioDeviceSetting> Blkio(List<Dto.ThrottleDevice>? devices) =>
        devices?.Select(d => new BlkioDeviceSetting { Path = d.Path ?? "", Weight = (ushort)Math.Clamp(d.Weight, 0, ushort.MaxValue), Rate = d.Rate }).ToList() ?? [];

    /// <summary>Docker's inspect shows the lists as [] when empty.</summary>
    private static List<Dto.ThrottleDevice> Blkio(List<BlkioDeviceSetting> devices) =>
        [.. devices.Select(d => new Dto.ThrottleDevice { Path = d.Path, Weight = d.Weight, Rate = d.Rate })];

    /// <summary>--pid / --uts: the container's own namespace ("") or the host's. Sharing another container's is not
    /// supported (refused rather than silently ignored).</summary>
    private static string NamespaceMode(string? mode, string what) => mode switch
    {
        null or "" => "",
        "host" => "host",
        _ when mode.StartsWith("container:", StringComparison.Ordinal) => throw new EngineException(ErrorKind.NotImplemented, $"{what} mode {mode} is not supported by Wharf"),
        _ => throw EngineException.Invalid($"invalid {what} mode: {mode}"),
    };

    private static string CgroupnsMode(string? mode) => mode switch
    {
        null or "" or "host" or "private" => mode ?? "",
        _ => throw EngineException.Invalid($"invalid cgroup namespace mode: {mode}"),
    };

    /// <summary>As Docker on Linux: only the default isolation exists.</summary>
    private static string Isolation(string? isolation) => isolation switch
    {
        null or "" => "",
        _ when isolation.Equals("default", StringComparison.OrdinalIgnoreCase) => isolation,
        _ => throw EngineException.Invalid($"Invalid isolation: \"{isolation}\" - linux only supports 'default'"),
    };

    /// <summary>Go's time.RFC3339Nano in UTC, as Docker prints times.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') + "Z";

    /// <summary>docker logs -t prints RFC3339Nano with all nine fraction digits.</summary>
    public static string FormatLogTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}
