using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Oci;
using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Containers.Mounts;

/// <summary>Volumes, bind mounts and tmpfs of containers: planned at create, acquired (and filled from the image
/// on first use) at start, released at exit, anonymous ones removed with <c>rm -v</c> / <c>--rm</c>.</summary>
public sealed class ContainerMounts : IVolumeUsers, IContainerParticipant
{
    private readonly ContainerStore _store;
    private readonly IFileSystemOps _fileOps;
    private readonly IRootConfinement _confinement;
    private readonly IMountOps _mounts;
    private readonly ILogger _log;

    public ContainerMounts(ContainerStore store, VolumeService volumes, IFileSystemOps fileOps, IRootConfinement confinement, IMountOps mounts,
        ILogger<ContainerMounts>? log = null)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        _store = store;
        Volumes = volumes;
        _fileOps = fileOps;
        _confinement = confinement;
        _mounts = mounts;
        _log = log ?? NullLogger<ContainerMounts>.Instance;
        // Volumes ask us which containers use them (rm, prune, df).
        volumes.AttachUsers(this);
    }

    /// <summary>The daemon's volume service (with plugins), given at construction; containers create, acquire
    /// and release volumes through it and never build one.</summary>
    public VolumeService Volumes { get; }

    public string Name => "volume release";

    public void ReleaseRun(ContainerRecord record)
    {
        ReleaseSubpaths(record);
        ReleaseVolumes(record);
    }

    public IReadOnlyList<string> ContainersUsing(string volumeName) =>
        _store.Where(e => !e.RemovalInProgress && e.Snapshot is { } s && s.MountPoints.Any(m => m.Type == "volume" && m.Name == volumeName))
            .Select(e => e.Record.Id)
            .ToList();

    internal List<MountPointRecord> PlanMounts(ContainerRecord record)
    {
        var planned = MountPlanner.Plan(record.Config, record.Host,
            name => _store.Get(name).MountPoints,
            path => Directory.Exists(path) || File.Exists(path));
        var created = new List<string>();
        try
        {
            foreach (var (mount, intent) in planned)
            {
                if (intent is not null)
                {
                    VolumeRecord volume;
                    if (intent.Name is { } name && Volumes.TryGet(name, out var existing))
                    {
                        volume = existing;
                    }
                    else
                    {
                        volume = Volumes.Create(intent.Name, intent.Driver, intent.Options, intent.Labels);
                        if (intent.Name is null) created.Add(volume.Name);
                    }
                    mount.Name = volume.Name;
                    mount.Source = volume.Mountpoint;
                    mount.Driver = volume.Driver;
                }
                else if (mount.Type == "bind" && !Directory.Exists(mount.Source) && !File.Exists(mount.Source))
                {
                    // Docker's -v creates a missing host directory (--mount refused it earlier).
                    Directory.CreateDirectory(mount.Source);
                }
            }
        }
        catch
        {
            foreach (var name in created) Volumes.Remove(name, force: true);
            throw;
        }
        return planned.Select(p => p.Mount).ToList();
    }

    /// <summary>Acquires the container's volumes (copying the image's content into empty ones) and appends its
    /// volume/bind/tmpfs mounts to the spec; a user mount replaces a default mount at the same destination.</summary>
    internal async Task<RuntimeSpec> WithContainerMountsAsync(ContainerRecord record, RuntimeSpec spec, string rootfs)
    {
        if (record.MountPoints.Count == 0) return spec;
        var subpaths = 0;
        var mounts = new List<SpecMount>();
        string? rootPropagation = null;
        foreach (var mp in record.MountPoints)
        {
            switch (mp.Type)
            {
                case "volume":
                    var hostPath = Volumes.Acquire(mp.Name, record.Id);
                    if (mp.Subpath.Length > 0)
                    {
                        hostPath = await PinSubpathAsync(record, mp, hostPath, subpaths++).ConfigureAwait(false);
                    }
                    else if (mp.CopyData)
                    {
                        await CopyImageContentAsync(rootfs, mp.Destination, hostPath).ConfigureAwait(false);
                    }
                    mounts.Add(new SpecMount { Destination = mp.Destination, Type = "bind", Source = hostPath, Options = ["rbind", "rprivate", mp.RW ? "rw" : "ro"] });
                    break;
                case "bind":
                    var propagation = mp.Propagation.Length > 0 ? mp.Propagation : "rprivate";
                    if (propagation is not "rprivate" and not "private")
                        PropagationCheck.Ensure(File.ReadAllText("/proc/self/mountinfo"), mp.Source, propagation);
                    if (propagation.EndsWith("shared", StringComparison.Ordinal)) rootPropagation = "rshared";
                    else if (propagation.EndsWith("slave", StringComparison.Ordinal) && rootPropagation is null) rootPropagation = "rslave";
                    var options = new List<string> { mp.NonRecursive ? "bind" : "rbind", propagation };
                    options.Add(mp.RW ? "rw" : "ro");
                    mounts.Add(new SpecMount { Destination = mp.Destination, Type = "bind", Source = mp.Source, Options = options });
                    break;
                case "tmpfs":
                    mounts.Add(new SpecMount { Destination = mp.Destination, Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev", "noexec", .. mp.TmpfsOptions] });
                    break;
                default:
                    throw EngineException.Invalid($"invalid mount config for type \"{mp.Type}\": mount type unknown");
            }
        }
        var taken = mounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        // Parents before children across default and user mounts (a volume at /etc must come before the
        // /etc/hosts bind, or it would hide it); OrderBy is stable, so equal depths keep their order.
        var combined = spec.Mounts.Where(m => !taken.Contains(m.Destination)).Concat(mounts)
            .OrderBy(m => m.Destination.TrimEnd('/').Count(c => c == '/'))
            .ToList();
        return spec with
        {
            Mounts = combined,
            Linux = rootPropagation is null ? spec.Linux : spec.Linux with { RootfsPropagation = rootPropagation },
        };
    }

    /// <summary>Docker's copy-up: an empty volume mounted over a non-empty image directory gets that directory's
    /// content, ownership and modes, once. The source is this container's rootfs, which nothing changes before it
    /// starts; the volume may be in use by another, running, container, so the copy writes confined to it.</summary>
    private async Task CopyImageContentAsync(string rootfs, string destination, string volumePath)
    {
        if (!Directory.Exists(volumePath) || Directory.EnumerateFileSystemEntries(volumePath).Any()) return;
        var source = ContainerPathResolver.Resolve(rootfs, destination, followFinal: true).HostPath;
        if (!Directory.Exists(source) || !Directory.EnumerateFileSystemEntries(source).Any()) return;
        await TreeCopier.CopyAsync(source, _confinement, volumePath, _fileOps).ConfigureAwait(false);
    }

    /// <summary>A volume sub-path is resolved inside the volume and bind-mounted, as the object found, at a place of
    /// the container's own; runc mounts that place. Resolving to a path string and letting runc's mount resolve it
    /// again would let another container using the volume swap a directory for a symlink to the host in between.</summary>
    private async Task<string> PinSubpathAsync(ContainerRecord record, MountPointRecord mp, string volumePath, int index)
    {
        var target = Path.Combine(SubpathsDirectory(record), index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _mounts.Unmount(target); // a leftover of a run that ended without its release
        try
        {
            await _confinement.BindAsync(volumePath, mp.Subpath, target).ConfigureAwait(false);
        }
        catch (IOException e) when (e.HResult is 2 or 20) // ENOENT, ENOTDIR
        {
            throw EngineException.Invalid($"cannot access path {Path.Combine(volumePath, mp.Subpath)}: no such file or directory");
        }
        return target;
    }

    private string SubpathsDirectory(ContainerRecord record) => Path.Combine(_store.PathsOf(record).StateDir, "subpaths");

    private void ReleaseSubpaths(ContainerRecord record)
    {
        if (!record.MountPoints.Any(m => m.Subpath.Length > 0)) return;
        var directory = SubpathsDirectory(record);
        if (!Directory.Exists(directory)) return;
        foreach (var target in Directory.EnumerateFileSystemEntries(directory))
        {
            try
            {
                _mounts.Unmount(target);
                if (Directory.Exists(target)) Directory.Delete(target);
                else File.Delete(target);
            }
            catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
            {
                ContainerLog.ReleaseVolumeFailed(_log, e, record.Id, target);
            }
        }
    }

    internal void ReleaseVolumes(ContainerRecord record)
    {
        foreach (var mp in record.MountPoints.Where(m => m.Type == "volume"))
        {
            try
            {
                Volumes.Release(mp.Name, record.Id);
            }
            catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
            {
                // Best effort: a failed unmount must not keep the container "running".
                ContainerLog.ReleaseVolumeFailed(_log, e, record.Id, mp.Name);
            }
        }
    }

    internal void RemoveAnonymousVolumes(ContainerRecord record, List<string> errors)
    {
        foreach (var mp in record.MountPoints.Where(m => m.Type == "volume"))
        {
            if (!Volumes.TryGet(mp.Name, out var volume) || !volume.IsAnonymous) continue;
            if (Volumes.UsersOf(mp.Name).Count > 0) continue; // shared through --volumes-from: still needed
            Teardown.Try(errors, () => Volumes.Remove(mp.Name, force: true));
        }
    }
}
