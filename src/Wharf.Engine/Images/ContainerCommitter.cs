using Wharf.Core.Oci;
using Wharf.Engine.Containers;
using Wharf.Engine.Layers;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Images;

/// <summary>docker commit: makes an image of a container. It belongs with images (it writes a layer and an image
/// record); from the container it only reads the record and the writable layer.</summary>
public sealed class ContainerCommitter(ContainerService containers, ImageService images, OverlaySnapshotter snapshots, TimeProvider time)
{
    /// <summary>docker commit. A running container is paused for the time of the commit (unless
    /// <see cref="CommitOptions.Pause"/> is off, or it is paused already), as Docker does: the layer is then what the
    /// container had at one moment, and nothing in it can swap a directory for a symlink while the layer is read
    /// from the host.</summary>
    public async Task<ImageRecord> CommitAsync(string nameOrId, CommitOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var record = containers.Get(nameOrId);
        var pause = options.Pause && record.State.Running && !record.State.Paused;
        if (pause)
        {
            try
            {
                await containers.PauseAsync(record.Id, ct).ConfigureAwait(false);
            }
            catch (Wharf.Core.Errors.EngineException e) when (e.Kind == Wharf.Core.Errors.ErrorKind.Conflict)
            {
                // It is not running (any more): no process is left to change the layer while it is read.
                pause = false;
            }
        }
        try
        {
            return await Task.Run(() => Commit(nameOrId, options), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (pause) await UnpauseAsync(record.Id).ConfigureAwait(false);
        }
    }

    private async Task UnpauseAsync(string id)
    {
        try
        {
            await containers.UnpauseAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Wharf.Core.Errors.EngineException)
        {
            // It stopped (or was removed) meanwhile: nothing is left to unpause.
        }
    }

    /// <summary>The writable layer becomes a new layer on top of the container's image, with the container's
    /// effective config (then -c changes) as the new image's defaults and one history entry.</summary>
    public ImageRecord Commit(string nameOrId, CommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var record = containers.Get(nameOrId);
        var image = images.Resolve(record.ImageId);
        var defaults = ImageChanges.Apply(DefaultsOf(record.Config), options.Changes);
        var upper = snapshots.UpperPath(record.Id);
        var differ = new LayerDiffer(snapshots.Inspector);
        var lowers = snapshots.LowerPaths(image.DiffIds);
        var diffId = Directory.Exists(upper) ? images.StoreLayer(stream => differ.WriteLayer(upper, lowers, stream)) : null;

        var now = time.GetUtcNow();
        var createdBy = string.Join(' ', new[] { record.Path }.Concat(record.Args).Where(s => s.Length > 0));
        var history = new List<HistoryEntry>(image.Config.History ?? [])
        {
            new() { Created = now, CreatedBy = createdBy, Comment = string.IsNullOrEmpty(options.Comment) ? null : options.Comment, EmptyLayer = diffId is null },
        };
        var config = image.Config with
        {
            Created = now,
            Author = string.IsNullOrEmpty(options.Author) ? null : options.Author,
            Comment = string.IsNullOrEmpty(options.Comment) ? null : options.Comment,
            Config = defaults,
            RootFs = new RootFs { DiffIds = diffId is { } d ? [.. image.Config.RootFs.DiffIds, d.Value] : image.Config.RootFs.DiffIds },
            History = history,
        };
        var committed = images.CreateImage(config, options.Reference, parent: image.Id.Value); // Docker: a commit's Parent is the container's image
        containers.PublishEvent(record, "commit", ("comment", options.Comment ?? ""), ("imageID", committed.Id.Value), ("imageRef", options.Reference ?? ""));
        return committed;
    }

    private static ContainerDefaults DefaultsOf(ContainerConfig c) => new()
    {
        User = string.IsNullOrEmpty(c.User) ? null : c.User,
        ExposedPorts = c.ExposedPorts.Count == 0 ? null : c.ExposedPorts.ToDictionary(p => p, _ => new EmptyObject(), StringComparer.Ordinal),
        Env = c.Env.Count == 0 ? null : c.Env.ToList(),
        Entrypoint = c.Entrypoint?.ToList(),
        Cmd = c.Cmd?.ToList(),
        Volumes = c.Volumes.Count == 0 ? null : c.Volumes.ToDictionary(v => v, _ => new EmptyObject(), StringComparer.Ordinal),
        WorkingDir = string.IsNullOrEmpty(c.WorkingDir) ? null : c.WorkingDir,
        Labels = c.Labels.Count == 0 ? null : new Dictionary<string, string>(c.Labels, StringComparer.Ordinal),
        StopSignal = c.StopSignal,
    };
}
