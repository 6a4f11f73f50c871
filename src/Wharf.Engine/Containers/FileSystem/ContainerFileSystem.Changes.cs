using Wharf.Engine.Containers.Archive;
using Wharf.Core.Errors;
using Wharf.Core;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Layers;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Containers.FileSystem;

public sealed partial class ContainerFileSystem
{
    /// <summary>docker diff: changes in the container's writable layer relative to its image (empty before the
    /// first start, when no writable layer exists yet).</summary>
    public IReadOnlyList<FileChange> Changes(string nameOrId)
    {
        var record = Get(nameOrId);
        var image = _images.Resolve(record.ImageId);
        var differ = new LayerDiffer(_snapshots.Inspector);
        return differ.Changes(_snapshots.UpperPath(record.Id), _snapshots.LowerPaths(image.DiffIds));
    }

    /// <summary>docker export: the container's whole root filesystem as one tar, read through a read-only overlay
    /// of its writable layer on top of the image layers (works while it runs, too). The walk is confined to that
    /// overlay's root: a running container can change its writable layer underneath it, symlinks included.
    /// </summary>
    public async Task ExportAsync(string nameOrId, Stream output, CancellationToken ct)
    {
        var record = Get(nameOrId);
        var image = _images.Resolve(record.ImageId);
        _snapshots.EnsureLayers(image.DiffIds);
        var work = Path.Combine(_options.ExecRoot, "export", Guid.NewGuid().ToString("N"));
        var target = Path.Combine(work, "rootfs");
        var empty = Path.Combine(work, "empty");
        Directory.CreateDirectory(target);
        Directory.CreateDirectory(empty);
        var lowers = new List<string>();
        var upper = _snapshots.UpperPath(record.Id);
        if (Directory.Exists(upper)) lowers.Add(upper);
        lowers.AddRange(_snapshots.LowerPaths(image.DiffIds));
        // overlayfs without an upper dir is read-only; the empty bottom layer makes it valid even for an image
        // with a single layer and a container that never ran.
        lowers.Add(empty);
        var mounted = false;
        try
        {
            _mounts.Mount(new Mount("overlay", "overlay", target, ["ro", $"lowerdir={string.Join(':', lowers)}"]));
            mounted = true;
            var differ = new LayerDiffer(_snapshots.Inspector);
            await ConfinedStreams.WriteAsync(_confinement, target, (inside, tar) => differ.WriteTree(inside, tar), output, ct).ConfigureAwait(false);
        }
        finally
        {
            if (mounted) _mounts.Unmount(target);
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A busy mount point left behind is cleaned with the exec root at reboot; the export itself is done.
            }
        }
    }

    /// <summary>Bytes in the container's writable layer (system df's SizeRw); 0 before the first start.</summary>
    public long WritableLayerSize(ContainerSnapshot record)
    {
        return DiskUsage.BytesBelow(_snapshots.UpperPath(record.Id), _snapshots.Inspector);
    }

    /// <summary>Stores the container's writable layer as a layer blob (the builder's RUN step) without making an
    /// image; null when nothing changed.</summary>
    public Digest? StoreWritableLayer(string nameOrId)
    {
        var record = Get(nameOrId);
        var image = _images.Resolve(record.ImageId);
        var upper = _snapshots.UpperPath(record.Id);
        if (!Directory.Exists(upper)) return null;
        var differ = new LayerDiffer(_snapshots.Inspector);
        var lowers = _snapshots.LowerPaths(image.DiffIds);
        return _images.StoreLayer(stream => differ.WriteLayer(upper, lowers, stream));
    }
}
