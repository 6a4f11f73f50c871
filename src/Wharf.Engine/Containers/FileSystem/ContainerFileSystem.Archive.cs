using Wharf.Core.Errors;
using Wharf.Core;
using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Containers.FileSystem;

/// <summary>docker cp: stat, read and write paths inside a container. A running container is reached through its
/// own root (/proc/&lt;pid&gt;/root, volumes and tmpfs included); a stopped one gets its rootfs and volume/bind
/// mounts assembled at a private temporary place for the duration. Paths are always resolved inside the root.</summary>
public sealed partial class ContainerFileSystem
{
    /// <summary>HEAD /containers/{id}/archive.</summary>
    public Task<PathStat> StatPathAsync(string nameOrId, string path, CancellationToken ct) =>
        WithContainerRootAsync(nameOrId, (root, _) => _confinement.RunAsync(root, inside => Stat(inside, path, nameOrId)), ct);

    /// <summary>GET /containers/{id}/archive: <paramref name="begin"/> receives the stat (for the header) and
    /// returns the stream the tar goes to. The tree is walked confined to the container's root.</summary>
    public Task ArchiveAsync(string nameOrId, string path, Func<PathStat, Stream> begin, CancellationToken ct) =>
        WithContainerRootAsync<bool>(nameOrId, async (root, _) =>
        {
            var stat = await _confinement.RunAsync(root, inside => Stat(inside, path, nameOrId)).ConfigureAwait(false);
            var output = begin(stat);
            await ConfinedStreams.WriteAsync(_confinement, root, (inside, tar) =>
            {
                var (host, _) = ContainerPathResolver.Resolve(inside, path, followFinal: false);
                TreeArchiver.Write(tar, host, RebaseName(path), ct);
            }, output, ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <summary>PUT /containers/{id}/archive: extracts <paramref name="tar"/> into the directory at
    /// <paramref name="path"/>. The tar is applied with the layer applier's rules (no entry may leave the directory
    /// through "..", absolute names, symlinked parents or hard links), confined to the container's root, so a
    /// directory the container swaps for a symlink while the tar is applied still leads nowhere but into the
    /// container. With <paramref name="noOverwriteDirNonDir"/> a directory is never replaced by a non-directory or
    /// the reverse (400); with <paramref name="copyUidGid"/> (docker cp -a) every entry is owned by the container's
    /// user, resolved in the container's own passwd and group files; otherwise the archive's ownership is kept, as
    /// Docker does.</summary>
    public Task ExtractArchiveAsync(string nameOrId, string path, Stream tar, bool noOverwriteDirNonDir, CancellationToken ct) =>
        ExtractArchiveAsync(nameOrId, path, tar, noOverwriteDirNonDir, copyUidGid: false, ct);

    /// <inheritdoc cref="ExtractArchiveAsync(string, string, Stream, bool, CancellationToken)"/>
    public Task ExtractArchiveAsync(string nameOrId, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken ct) =>
        WithContainerRootAsync<bool>(nameOrId, async (root, record) =>
        {
            var fileOps = _fileOps;
            // Looked up before the extraction, on its own: the files are read through descriptors (a running
            // container may swap them for a FIFO or a device), which the confined extraction cannot wait for.
            var owner = copyUidGid ? await ArchiveOwner.ResolveAsync(_confinement, root, record.Config.User).ConfigureAwait(false) : null;
            return await ConfinedStreams.ReadAsync(_confinement, root, tar, (inside, input) =>
            {
                var (host, inner) = ContainerPathResolver.Resolve(inside, path, followFinal: true);
                if (!Directory.Exists(host))
                {
                    if (File.Exists(host)) throw EngineException.Invalid("extraction point is not a directory");
                    throw EngineException.NotFound($"Could not find the file {path} in container {nameOrId}");
                }
                if (record.Host.ReadonlyRootfs && !IsInWritableMount(record, inner))
                    throw new EngineException(ErrorKind.Forbidden, "container rootfs is marked read-only");
                if (record.MountPoints.FirstOrDefault(m => IsUnder(inner, m.Destination)) is { RW: false })
                    throw new EngineException(ErrorKind.Forbidden, "mounted volume is marked read-only");
                var options = new ExtractionOptions
                {
                    NoOverwriteDirNonDir = noOverwriteDirNonDir,
                    Owner = owner,
                    DisplayRoot = inner,
                    AbsoluteNamesAreRelative = true,
                };
                new LayerApplier(fileOps).Extract(input, host, options);
                return true;
            }, ct).ConfigureAwait(false);
        }, ct);

    private static bool IsInWritableMount(ContainerRecord record, string containerPath) =>
        record.MountPoints.Any(m => m.RW && IsUnder(containerPath, m.Destination));

    private static bool IsUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Docker names the archive's top entry after the requested path's base name; "dir/." means the
    /// directory's content ("./...").</summary>
    private static string RebaseName(string path)
    {
        if (path.EndsWith("/.", StringComparison.Ordinal) || path == ".") return ".";
        var clean = MountPlanner.Normalize("/" + path);
        return clean == "/" ? "." : Path.GetFileName(clean);
    }

    private static PathStat Stat(string root, string path, string nameOrId)
    {
        var (host, _) = ContainerPathResolver.Resolve(root, path, followFinal: false);
        var info = new FileInfo(host);
        var isLink = info.LinkTarget is not null;
        var isDirectory = !isLink && Directory.Exists(host);
        if (!isLink && !isDirectory && !info.Exists)
            throw EngineException.NotFound($"Could not find the file {path} in container {nameOrId}");
        FileSystemInfo fsInfo = isDirectory ? new DirectoryInfo(host) : info;
        var linkTarget = isLink ? ContainerPathResolver.Resolve(root, path, followFinal: true).ContainerPath : "";
        var clean = MountPlanner.Normalize("/" + path);
        var name = clean == "/" ? "/" : Path.GetFileName(clean);
        return new PathStat(name, isDirectory ? 4096 : isLink ? info.LinkTarget!.Length : info.Length,
            PathStat.GoMode(fsInfo.UnixFileMode, isDirectory, isLink), fsInfo.LastWriteTimeUtc, linkTarget);
    }

    /// <summary>Runs <paramref name="action"/> with a host directory that is the container's root as the
    /// container sees it.</summary>
    private async Task<T> WithContainerRootAsync<T>(string nameOrId, Func<string, ContainerRecord, Task<T>> action, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        var gateHeld = true;
        try
        {
            var record = entry.Record;
            if (record.State.Running && record.State.Pid > 0)
            {
                // The container's own view: overlay, volumes and tmpfs, as its processes see them.
                var root = $"/proc/{record.State.Pid}/root";
                entry.Gate.Release();
                gateHeld = false;
                return await action(root, record).ConfigureAwait(false);
            }
            return await WithAssembledRootAsync(record, action).ConfigureAwait(false);
        }
        finally
        {
            if (gateHeld) entry.Gate.Release();
        }
    }

    private async Task<T> WithAssembledRootAsync<T>(ContainerRecord record, Func<string, ContainerRecord, Task<T>> action)
    {
        var paths = PathsOf(record);
        var target = Path.Combine(paths.StateDir, "archive-" + Guid.NewGuid().ToString("N")[..12]);
        var mounted = new List<string>();
        try
        {
            Directory.CreateDirectory(target);
            var image = _images.Resolve(record.ImageId);
            _mounts.Mount(_snapshots.PrepareContainerLayer(record.Id, image, target));
            mounted.Add(target);
            foreach (var mp in record.MountPoints.Where(m => m.Type is "volume" or "bind"))
            {
                var source = mp.Type == "bind" ? mp.Source : _volumes.TryGet(mp.Name, out var volume) && volume.Driver == Wharf.Engine.Volumes.VolumeService.LocalDriver ? volume.Mountpoint : null;
                if (source is null || (!Directory.Exists(source) && !File.Exists(source))) continue;
                // Resolved in the assembled root and mounted onto the object found: a destination below another
                // volume (one a running container shares and may swap a directory of for a link) cannot lead out.
                // Unmounting the root detaches these with it.
                await _confinement.MountOntoAsync(target, mp.Destination, source, readOnly: !mp.RW).ConfigureAwait(false);
            }
            return await action(target, record).ConfigureAwait(false);
        }
        finally
        {
            for (var i = mounted.Count - 1; i >= 0; i--)
            {
                try { _mounts.Unmount(mounted[i]); }
                catch (Exception e) when (e is IOException or EngineException)
                {
                    ContainerLog.ArchiveCleanupFailed(_log, e, record.Id, mounted[i]);
                }
            }
            try
            {
                if (Directory.Exists(target) && !_mounts.IsMounted(target)) Directory.Delete(target);
            }
            catch (IOException)
            {
                // Still busy: the exec root is a tmpfs, a leftover empty directory is harmless.
            }
        }
    }
}
