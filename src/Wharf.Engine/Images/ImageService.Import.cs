using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Engine.Metadata;

namespace Wharf.Engine.Images;

public sealed partial class ImageService
{
    private const string DefaultImportComment = "Imported from -";

    /// <summary>docker import: a root filesystem tar (plain or gzip) becomes a one-layer image. The layer blob is
    /// stored uncompressed (its digest is the diff id) and extracted right away, so a hostile archive is rejected
    /// here, leaving nothing behind.</summary>
    public async Task<ImageRecord> ImportAsync(Stream tar, string? reference, IReadOnlyList<string> changes, string? message, CancellationToken ct)
    {
        // Validate everything cheap before reading a possibly large body.
        ImageReference? target = string.IsNullOrEmpty(reference) ? null : ImageReference.Parse(reference);
        if (target?.Digest is not null) throw Wharf.Core.Errors.EngineException.Invalid("cannot import digest reference");
        var defaults = ImageChanges.Apply(new ContainerDefaults(), changes);

        Digest diffId;
        bool layerExisted;
        var plain = await ArchiveDecompression.OpenAsync(tar, ct).ConfigureAwait(false);
        await using (plain.ConfigureAwait(false))
        {
            using var writer = Content.BeginWrite();
            await plain.CopyToAsync(writer, ct).ConfigureAwait(false);
            diffId = writer.Digest;
            layerExisted = Content.Exists(diffId);
            writer.Commit();
        }

        long size;
        try
        {
            size = _snapshots.EnsureLayers([diffId]);
        }
        catch
        {
            if (!layerExisted && !LayerInUse(diffId)) Content.Delete(diffId);
            throw;
        }

        var now = _time.GetUtcNow();
        var comment = string.IsNullOrEmpty(message) ? DefaultImportComment : message;
        var config = new ImageConfig
        {
            Architecture = PlatformSpec.HostArchitecture,
            Os = "linux",
            Created = now,
            Comment = comment,
            Config = defaults,
            RootFs = new RootFs { DiffIds = [diffId.Value] },
            History = [new HistoryEntry { Created = now, CreatedBy = "", Comment = comment }],
        };
        var id = Content.Write(JsonSerializer.SerializeToUtf8Bytes(config, CoreJsonContext.Default.ImageConfig));

        ImageRecord image;
        lock (_gate)
        {
            var previous = _metadata.TryGet(id, out var existing) ? existing : null;
            _metadata.Put(new ImageDocument(id.Value, config, size, previous?.Added ?? now, previous?.LastTagTime));
            if (target is { } name) SetTagLocked(name, id);
            image = ToRecord(id);
        }
        Raise("import", id, null);
        if (target is { } tagged) Raise("tag", id, tagged.FamiliarString);
        return image;
    }

    private bool LayerInUse(Digest diffId)
    {
        lock (_gate)
        {
            return _metadata.Images.Any(i => i.Config.RootFs.DiffIds.Contains(diffId.Value));
        }
    }
}
