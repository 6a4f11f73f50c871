using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Engine.Layers;
using Wharf.Engine.Metadata;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>sha256 of an empty tar (two zero blocks): the diff id Docker treats as "no layer".</summary>
    public static readonly Digest EmptyLayerDiffId = Digest.Compute(new byte[1024]);

    /// <summary>Stores an uncompressed layer tar produced by <paramref name="write"/> in the content store. Returns
    /// the diff id, or null when the layer has no entries (commit/build then record an empty_layer history entry
    /// instead, as Docker does).</summary>
    public Digest? StoreLayer(Func<Stream, LayerWriteResult> write)
    {
        using var writer = Content.BeginWrite();
        var result = write(writer);
        if (result.Entries == 0) return null;
        return writer.Commit();
    }

    /// <summary>Serialises <paramref name="config"/>, makes sure its layers are extracted and records the image,
    /// tagging it <paramref name="reference"/> when given. Used by commit and build.</summary>
    /// <paramref name="parent"/> (a build step's base image id) is kept as the image's local parent.
    public ImageRecord CreateImage(ImageConfig config, string? reference, string? parent = null) =>
        RegisterImage(JsonSerializer.SerializeToUtf8Bytes(config, CoreJsonContext.Default.ImageConfig),
            string.IsNullOrEmpty(reference) ? [] : [reference], eventAction: null, parent);

    /// <summary>Records an image from its exact config bytes (the image id is their sha256, so the bytes are kept
    /// verbatim), extracting its layers first. The layer blobs must already be in the content store. Tags move to
    /// the new image. <paramref name="eventAction"/> (e.g. "load") is published besides the tag events.</summary>
    public ImageRecord RegisterImage(byte[] configBytes, IReadOnlyList<string> references, string? eventAction, string? parent = null)
    {
        var config = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig)
            ?? throw Wharf.Core.Errors.EngineException.Invalid("invalid image config: empty document");
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        var parsedReferences = references.Select(r => ImageReference.Parse(r)).ToList();
        if (parsedReferences.Any(r => r.Digest is not null))
            throw Wharf.Core.Errors.EngineException.Invalid("refusing to create a tag with a digest reference");
        var size = _snapshots.EnsureLayers(diffIds);
        var id = Content.Write(configBytes);
        var now = _time.GetUtcNow();
        ImageRecord image;
        lock (_gate)
        {
            var previous = _metadata.TryGet(id, out var existing) ? existing : null;
            // An image never becomes its own ancestor (an empty step can reproduce its parent's exact config).
            var keptParent = parent == id.Value ? previous?.Parent : parent ?? previous?.Parent;
            _metadata.Put(new ImageDocument(id.Value, config, size, previous?.Added ?? now, previous?.LastTagTime, keptParent));
            foreach (var reference in parsedReferences) SetTagLocked(reference, id);
            image = ToRecord(id);
        }
        if (eventAction is not null) Raise(eventAction, id, parsedReferences.Count > 0 ? parsedReferences[0].FamiliarString : null);
        foreach (var reference in parsedReferences) Raise("tag", id, reference.FamiliarString);
        return image;
    }
}
