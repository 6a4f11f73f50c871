using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Content;
using Wharf.Engine.Metadata;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Images;

/// <summary>The image store: import, resolve, list, tag and remove images, over the content store, the metadata
/// documents and the overlay snapshots. All metadata changes happen under one lock; slow work (reading and
/// extracting archives) happens outside it.</summary>
public sealed partial class ImageService
{
    private readonly object _gate = new();
    private readonly ImageMetadataStore _metadata;
    private readonly OverlaySnapshotter _snapshots;
    private readonly TimeProvider _time;
    private readonly Action<string, string, IReadOnlyDictionary<string, string>>? _onEvent;

    /// <param name="onEvent">Receives image events (action: import, tag, untag, delete; the image id; attributes
    /// such as "name"), called after the change is persisted and outside the lock.</param>
    public ImageService(string dataRoot, OverlaySnapshotter snapshots, TimeProvider time,
        Action<string, string, IReadOnlyDictionary<string, string>>? onEvent = null)
    {
        Directory.CreateDirectory(dataRoot);
        _metadata = new ImageMetadataStore(dataRoot);
        Content = new ContentStore(dataRoot);
        _snapshots = snapshots;
        _time = time;
        _onEvent = onEvent;
    }

    public ContentStore Content { get; }

    public ImageRecord Resolve(string nameOrId) =>
        TryResolve(nameOrId, out var image) ? image : throw EngineException.NoSuchImage(MissingName(nameOrId));

    public bool TryResolve(string nameOrId, out ImageRecord image)
    {
        lock (_gate)
        {
            if (TryResolveId(nameOrId, out var id))
            {
                image = ToRecord(id);
                return true;
            }
        }
        image = null!;
        return false;
    }

    /// <summary>Whether a built image names <paramref name="id"/> as its parent (an intermediate image).</summary>
    public bool HasChildren(Digest id)
    {
        lock (_gate) return HasChildrenLocked(id);
    }

    private bool HasChildrenLocked(Digest id) => _metadata.Images.Any(i => i.Parent == id.Value);

    public IReadOnlyList<ImageRecord> List()
    {
        lock (_gate)
        {
            return _metadata.Ids.Select(ToRecord).OrderByDescending(i => i.Created).ToList();
        }
    }

    /// <summary>docker tag: points <paramref name="repo"/>:<paramref name="tag"/> (tag defaults to latest) at the
    /// image <paramref name="source"/> resolves to, moving the name if another image had it.</summary>
    public void Tag(string source, string repo, string? tag)
    {
        var reference = ImageReference.Parse(string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag);
        if (reference.Digest is not null) throw EngineException.Invalid("refusing to create a tag with a digest reference");
        Digest id;
        lock (_gate)
        {
            if (!TryResolveId(source, out id)) throw EngineException.NoSuchImage(MissingName(source));
            SetTagLocked(reference, id);
        }
        Raise("tag", id, reference.FamiliarString);
    }

    private void SetTagLocked(ImageReference reference, Digest id)
    {
        _metadata.SetTag(reference.FamiliarString, id);
        if (_metadata.TryGet(id, out var document)) _metadata.Put(document with { LastTagTime = _time.GetUtcNow() });
    }

    /// <summary>Name lookup first (as Docker does), then a full id, then a unique id prefix.</summary>
    private bool TryResolveId(string nameOrId, out Digest id)
    {
        id = default;
        if (string.IsNullOrEmpty(nameOrId)) return false;
        if (Digest.TryParse(nameOrId, out id)) return _metadata.TryGet(id, out _);
        if (nameOrId.Length == 64 && Digest.TryParse("sha256:" + nameOrId, out id)) return _metadata.TryGet(id, out _);
        if (ImageReference.TryParse(nameOrId, out var reference) && reference.Tag is not null && reference.Digest is null
            && _metadata.TryGetTag(reference.FamiliarString, out id))
        {
            return true;
        }
        var prefix = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId["sha256:".Length..] : nameOrId;
        if (prefix.Length == 0 || !prefix.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return false;
        var matches = _metadata.Ids.Where(i => i.Hex.StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList();
        if (matches.Count != 1) return false; // none, or ambiguous
        id = matches[0];
        return true;
    }

    /// <summary>Docker reports a missing name with its default tag ("No such image: busybox:latest").</summary>
    private static string MissingName(string nameOrId) =>
        !nameOrId.StartsWith("sha256:", StringComparison.Ordinal) && ImageReference.TryParse(nameOrId, out var reference)
            ? reference.FamiliarString
            : nameOrId;

    private ImageRecord ToRecord(Digest id)
    {
        var document = _metadata.TryGet(id, out var d) ? d : throw EngineException.NoSuchImage(id.Value);
        return new ImageRecord(id, document.Config, _metadata.TagsOf(id), document.Size,
            document.Config.Created ?? document.Added, document.LastTagTime) { Parent = document.Parent };
    }

    private void Raise(string action, Digest id, string? name)
    {
        if (_onEvent is null) return;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name ?? id.Value };
        _onEvent(action, id.Value, attributes);
    }
}
