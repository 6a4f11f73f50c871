using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Volumes;
using ApiContainers = Wharf.Api.Containers;
using ApiVolumes = Wharf.Api.Volumes;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Mapping;

/// <summary>Volume, mount and archive DTOs to and from the engine's records.</summary>
internal static class StorageMapper
{
    public static ApiVolumes.Volume ToVolume(VolumeRecord v, VolumeUsage? usage = null) => new()
    {
        Name = v.Name,
        Driver = v.Driver,
        Mountpoint = v.Mountpoint,
        CreatedAt = v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Labels = v.Labels,
        Scope = v.Scope,
        Options = v.Options,
        UsageData = usage is null ? null : new ApiVolumes.VolumeUsageData { Size = usage.Size, RefCount = usage.RefCount },
    };

    /// <summary>Inspect's Mounts[] (and ps's).</summary>
    public static List<ApiContainers.MountPoint> ToMountPoints(ContainerSnapshot record) =>
        record.MountPoints.Select(m => new ApiContainers.MountPoint
        {
            Type = m.Type,
            Name = m.Type == "volume" ? m.Name : null,
            Source = m.Source,
            Destination = m.Destination,
            Driver = m.Type == "volume" ? m.Driver : null,
            Mode = m.Mode,
            RW = m.RW,
            Propagation = m.Type == "bind" ? m.Propagation : "",
        }).ToList();

    public static MountRequest ToMountRequest(ApiContainers.MountSpec m) => new()
    {
        Type = m.Type ?? "",
        Source = m.Source ?? "",
        Target = m.Target ?? "",
        ReadOnly = m.ReadOnly,
        BindPropagation = m.BindOptions?.Propagation ?? "",
        BindNonRecursive = m.BindOptions?.NonRecursive ?? false,
        BindCreateMountpoint = m.BindOptions?.CreateMountpoint ?? false,
        BindReadOnlyNonRecursive = m.BindOptions?.ReadOnlyNonRecursive ?? false,
        VolumeNoCopy = m.VolumeOptions?.NoCopy ?? false,
        VolumeLabels = m.VolumeOptions?.Labels ?? [],
        VolumeDriver = m.VolumeOptions?.DriverConfig?.Name ?? "",
        VolumeDriverOptions = m.VolumeOptions?.DriverConfig?.Options ?? [],
        VolumeSubpath = m.VolumeOptions?.Subpath ?? "",
        TmpfsSizeBytes = m.TmpfsOptions?.SizeBytes ?? 0,
        TmpfsMode = m.TmpfsOptions?.Mode ?? 0,
    };

    public static ApiVolumes.ContainerPathStat ToPathStat(PathStat s) => new()
    {
        Name = s.Name,
        Size = s.Size,
        Mode = s.Mode,
        Mtime = ContainerMapper.FormatTime(s.Mtime),
        LinkTarget = s.LinkTarget,
    };
}
