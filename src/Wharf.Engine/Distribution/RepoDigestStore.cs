using System.Buffers;
using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Distribution;

/// <summary>distribution/repodigests.json: for each image id, the "name@sha256:..." references it was pulled by or
/// pushed as (docker inspect's RepoDigests). Written atomically (temp file + rename).</summary>
public sealed class RepoDigestStore
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, List<string>> _digests;

    public RepoDigestStore(string dataRoot)
    {
        var directory = Path.Combine(dataRoot, "distribution");
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "repodigests.json");
        _digests = Load(_path);
    }

    public IReadOnlyList<string> Get(Digest imageId)
    {
        lock (_gate)
        {
            return _digests.TryGetValue(imageId.Value, out var list) ? list.ToList() : [];
        }
    }

    /// <summary>Adds a reference, replacing an older digest of the same repository.</summary>
    public void Add(Digest imageId, string repoDigest)
    {
        var repository = repoDigest[..repoDigest.IndexOf('@', StringComparison.Ordinal)];
        lock (_gate)
        {
            foreach (var list in _digests.Values) list.RemoveAll(d => d == repoDigest);
            if (!_digests.TryGetValue(imageId.Value, out var entries)) _digests[imageId.Value] = entries = [];
            entries.RemoveAll(d => d.StartsWith(repository + "@", StringComparison.Ordinal));
            entries.Add(repoDigest);
            Save();
        }
    }

    private void Save()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (id, list) in _digests.Where(d => d.Value.Count > 0))
            {
                json.WriteStartArray(id);
                foreach (var entry in list) json.WriteStringValue(entry);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        AtomicFile.Write(_path, buffer.WrittenSpan);
    }

    private static Dictionary<string, List<string>> Load(string path)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList();
        }
        return result;
    }
}
