using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Builder;

/// <summary>The legacy builder's layer cache: key (parent image + instruction + content checksum) → image id,
/// persisted in builder/cache.json so it survives a daemon restart. Entries whose image is gone are ignored.</summary>
public sealed class BuildCache
{
    private readonly string _file;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _entries;

    public BuildCache(string dataRoot)
    {
        var directory = Path.Combine(dataRoot, "builder");
        Directory.CreateDirectory(directory);
        _file = Path.Combine(directory, "cache.json");
        _entries = Load(_file);
    }

    public static string Key(string parent, string instruction, string contentChecksum) =>
        Digest.Compute(Encoding.UTF8.GetBytes(parent + "\n" + instruction + "\n" + contentChecksum)).Value;

    public bool TryGet(string key, out string imageId)
    {
        lock (_gate) return _entries.TryGetValue(key, out imageId!);
    }

    public void Put(string key, string imageId)
    {
        lock (_gate)
        {
            _entries[key] = imageId;
            AtomicFile.Write(_file, JsonSerializer.SerializeToUtf8Bytes(_entries, BuilderJsonContext.Default.DictionaryStringString));
        }
    }

    private static Dictionary<string, string> Load(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), BuilderJsonContext.Default.DictionaryStringString) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            return [];
        }
    }
}
