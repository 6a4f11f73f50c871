using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Metadata;

/// <summary>The image documents (image/db/&lt;hex&gt;.json) and the tag map (image/repositories.json), each written
/// atomically, with an in-memory index rebuilt at start. Not thread-safe: <see cref="ImageService"/> serialises
/// access.</summary>
internal sealed class ImageMetadataStore
{
    public const string SchemaVersion = "1";

    private readonly string _dbDirectory;
    private readonly string _repositoriesFile;
    private readonly Dictionary<Digest, ImageDocument> _images = [];
    private readonly SortedDictionary<string, Digest> _tags = new(StringComparer.Ordinal);

    public ImageMetadataStore(string dataRoot)
    {
        EnsureSchemaVersion(dataRoot);
        var imageRoot = Path.Combine(dataRoot, "image");
        _dbDirectory = Path.Combine(imageRoot, "db");
        _repositoriesFile = Path.Combine(imageRoot, "repositories.json");
        Directory.CreateDirectory(_dbDirectory);
        Load();
    }

    public IReadOnlyCollection<ImageDocument> Images => _images.Values;

    public bool TryGet(Digest id, out ImageDocument document) => _images.TryGetValue(id, out document!);

    public IEnumerable<Digest> Ids => _images.Keys;

    public void Put(ImageDocument document)
    {
        var id = Digest.Parse(document.Id);
        AtomicFile.Write(DocumentPath(id), JsonSerializer.SerializeToUtf8Bytes(document, MetadataJsonContext.Default.ImageDocument));
        _images[id] = document;
    }

    public void Delete(Digest id)
    {
        File.Delete(DocumentPath(id));
        _images.Remove(id);
    }

    /// <summary>Familiar references ("busybox:latest") pointing at <paramref name="id"/>, sorted.</summary>
    public IReadOnlyList<string> TagsOf(Digest id) => _tags.Where(t => t.Value == id).Select(t => t.Key).ToList();

    public bool TryGetTag(string familiarReference, out Digest id) => _tags.TryGetValue(familiarReference, out id);

    /// <summary>Points a tag at an image (moving it if it pointed elsewhere) and persists the tag map.</summary>
    public void SetTag(string familiarReference, Digest id)
    {
        // A rebuild from cache tags the same image again: nothing to persist (saves an fsync per tag).
        if (_tags.TryGetValue(familiarReference, out var current) && current == id) return;
        _tags[familiarReference] = id;
        SaveRepositories();
    }

    public bool RemoveTag(string familiarReference)
    {
        if (!_tags.Remove(familiarReference)) return false;
        SaveRepositories();
        return true;
    }

    private string DocumentPath(Digest id) => Path.Combine(_dbDirectory, id.Hex + ".json");

    private void Load()
    {
        foreach (var file in Directory.EnumerateFiles(_dbDirectory, "*.json"))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.')) continue; // an AtomicFile temporary left by a crash
            ImageDocument? document;
            try
            {
                document = JsonSerializer.Deserialize(File.ReadAllBytes(file), MetadataJsonContext.Default.ImageDocument);
            }
            catch (JsonException)
            {
                continue; // unreadable documents are skipped rather than keeping the daemon from starting
            }
            if (document is not null && Digest.TryParse(document.Id, out var id) && name == id.Hex + ".json") _images[id] = document;
        }

        if (!File.Exists(_repositoriesFile)) return;
        var repositories = JsonSerializer.Deserialize(File.ReadAllBytes(_repositoriesFile), MetadataJsonContext.Default.RepositoriesDocument);
        foreach (var references in repositories?.Repositories.Values ?? Enumerable.Empty<Dictionary<string, string>>())
        {
            foreach (var (reference, idText) in references)
            {
                // Tags of images whose document vanished are dropped, not resurrected as dangling names.
                if (Digest.TryParse(idText, out var id) && _images.ContainsKey(id)) _tags[reference] = id;
            }
        }
    }

    private void SaveRepositories()
    {
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (reference, id) in _tags)
        {
            var repository = ImageReference.TryParse(reference, out var parsed) ? parsed.FamiliarName : reference;
            if (!repositories.TryGetValue(repository, out var references))
            {
                repositories[repository] = references = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            references[reference] = id.Value;
        }
        AtomicFile.Write(_repositoriesFile, JsonSerializer.SerializeToUtf8Bytes(new RepositoriesDocument(repositories), MetadataJsonContext.Default.RepositoriesDocument));
    }

    private static void EnsureSchemaVersion(string dataRoot)
    {
        var file = Path.Combine(dataRoot, "schema-version");
        if (File.Exists(file))
        {
            var version = File.ReadAllText(file).Trim();
            if (version != SchemaVersion)
            {
                throw new EngineException(ErrorKind.Unknown, $"data root {dataRoot} has schema version {version}, this engine understands {SchemaVersion}");
            }
            return;
        }
        AtomicFile.Write(file, "1\n"u8);
    }
}
