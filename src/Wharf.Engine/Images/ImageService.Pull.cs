using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Metadata;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>Extracts (once) the layers of a stack; for per-layer progress while pulling.</summary>
    public long EnsureLayers(IReadOnlyList<Digest> diffIds) => _snapshots.EnsureLayers(diffIds);

    /// <summary>Records an image whose config and layer blobs are already in the content store (a pull): stores the
    /// config bytes verbatim (so the id is the registry's config digest), extracts the layers, tags it and raises a
    /// "pull" event.</summary>
    public ImageRecord RegisterPulled(byte[] configBytes, ImageReference? tag, string pulledName)
    {
        var config = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig)
                     ?? throw EngineException.Invalid("image config is empty");
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        foreach (var diffId in diffIds)
        {
            if (!Content.Exists(diffId)) throw EngineException.NotFound($"layer {diffId} is missing from the content store");
        }
        var size = _snapshots.EnsureLayers(diffIds);
        var id = Content.Write(configBytes);
        var now = _time.GetUtcNow();
        ImageRecord image;
        lock (_gate)
        {
            var previous = _metadata.TryGet(id, out var existing) ? existing : null;
            _metadata.Put(new ImageDocument(id.Value, config, size, previous?.Added ?? now, previous?.LastTagTime));
            if (tag is { } name) SetTagLocked(name, id);
            image = ToRecord(id);
        }
        Raise("pull", id, pulledName);
        return image;
    }
}
