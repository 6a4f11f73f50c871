using System.Buffers;
using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Distribution;

/// <summary>distribution/layersources.json: for each diff id, the compressed blobs it was pulled as or pushed as
/// (Docker's "v2metadata"). A push uses it to skip compressing a layer the registry already has (HEAD), or to mount
/// it from another repository of the same registry instead of uploading it. Written atomically.</summary>
public sealed class LayerSourceStore
{
    // A layer pushed to many repositories would otherwise grow its list without bound.
    private const int MaxSourcesPerLayer = 16;

    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, List<LayerSource>> _sources;

    public LayerSourceStore(string dataRoot)
    {
        var directory = Path.Combine(dataRoot, "distribution");
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "layersources.json");
        _sources = Load(_path);
    }

    /// <summary>Known blobs of <paramref name="diffId"/> on <paramref name="registry"/>, most recent first.</summary>
    public IReadOnlyList<LayerSource> Get(Digest diffId, string registry)
    {
        lock (_gate)
        {
            return _sources.TryGetValue(diffId.Value, out var list)
                ? list.Where(s => string.Equals(s.Registry, registry, StringComparison.OrdinalIgnoreCase)).Reverse().ToList()
                : [];
        }
    }

    public void Add(Digest diffId, LayerSource source)
    {
        lock (_gate)
        {
            if (!_sources.TryGetValue(diffId.Value, out var list)) _sources[diffId.Value] = list = [];
            list.RemoveAll(s => s.Registry == source.Registry && s.Repository == source.Repository && s.Blob == source.Blob);
            list.Add(source);
            if (list.Count > MaxSourcesPerLayer) list.RemoveRange(0, list.Count - MaxSourcesPerLayer);
            Save();
        }
    }

    private void Save()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (diffId, list) in _sources)
            {
                json.WriteStartArray(diffId);
                foreach (var source in list)
                {
                    json.WriteStartObject();
                    json.WriteString("registry", source.Registry);
                    json.WriteString("repository", source.Repository);
                    json.WriteString("blob", source.Blob.Value);
                    json.WriteString("mediaType", source.MediaType);
                    json.WriteNumber("size", source.Size);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        AtomicFile.Write(_path, buffer.WrittenSpan);
    }

    private static Dictionary<string, List<LayerSource>> Load(string path)
    {
        var result = new Dictionary<string, List<LayerSource>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.EnumerateArray().Select(e => new LayerSource(
                    e.GetProperty("registry").GetString() ?? "", e.GetProperty("repository").GetString() ?? "",
                    Digest.Parse(e.GetProperty("blob").GetString() ?? ""), e.GetProperty("mediaType").GetString() ?? "",
                    e.GetProperty("size").GetInt64())).ToList();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or Wharf.Core.Errors.EngineException)
        {
            // A damaged cache only costs a recompression on the next push.
            result.Clear();
        }
        return result;
    }
}
