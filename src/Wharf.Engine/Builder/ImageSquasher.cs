using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Engine.Images;
using Wharf.Engine.Layers;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Builder;

/// <summary>docker build --squash (an experimental feature, as on Docker): the layers a build added on top of its
/// base image become one layer. The new image keeps the built image's config; its history keeps every entry, the
/// built ones marked as empty layers, plus one entry that says what was merged, as Docker writes it. The built
/// image itself stays (untagged), as with Docker.</summary>
public sealed class ImageSquasher(ImageService images, OverlaySnapshotter snapshots, TimeProvider time)
{
    /// <summary>Squashes <paramref name="built"/> onto <paramref name="baseImage"/> (null: a build FROM scratch, then
    /// all its layers become one).</summary>
    public ImageRecord Squash(ImageRecord built, ImageRecord? baseImage)
    {
        ArgumentNullException.ThrowIfNull(built);
        var layers = built.DiffIds;
        var baseLayers = baseImage?.DiffIds ?? [];
        if (baseLayers.Count > layers.Count || !baseLayers.SequenceEqual(layers.Take(baseLayers.Count)))
            throw Wharf.Core.Errors.EngineException.Invalid($"cannot squash {built.Id.Value}: it is not built on {baseImage?.Id.Value}");

        var scratch = images.Content.CreateScratchDirectory();
        try
        {
            var merged = Path.Combine(scratch, "merged");
            Directory.CreateDirectory(merged);
            snapshots.ReplayLayers(layers, baseLayers.Count, merged, Path.Combine(scratch, "layer.tar"));
            var differ = new LayerDiffer(snapshots.Inspector);
            var lowers = snapshots.LowerPaths(baseLayers);
            var diffId = images.StoreLayer(stream => differ.WriteLayer(merged, lowers, stream));

            var now = time.GetUtcNow();
            var baseHistory = baseImage?.Config.History?.Count ?? 0;
            var history = (built.Config.History ?? [])
                .Select((entry, index) => index >= baseHistory ? entry with { EmptyLayer = true } : entry)
                .Append(new HistoryEntry
                {
                    Created = now,
                    Comment = baseImage is null ? $"create new from {built.Id.Value}" : $"merge {built.Id.Value} to {baseImage.Id.Value}",
                    EmptyLayer = diffId is null,
                })
                .ToList();
            var config = built.Config with
            {
                Created = now,
                RootFs = new RootFs { DiffIds = diffId is { } d ? [.. baseLayers.Select(l => l.Value), d.Value] : [.. baseLayers.Select(l => l.Value)] },
                History = history,
            };
            return images.CreateImage(config, reference: null, parent: baseImage?.Id.Value);
        }
        finally
        {
            DirectoryTree.ForceDelete(scratch);
        }
    }
}
