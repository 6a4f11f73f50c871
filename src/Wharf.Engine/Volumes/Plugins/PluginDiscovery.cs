using System.Text.Json;

namespace Wharf.Engine.Volumes.Plugins;

/// <summary>Finds a plugin's address the way Docker does: a socket &lt;dir&gt;/&lt;name&gt;.sock (or
/// &lt;dir&gt;/&lt;name&gt;/&lt;name&gt;.sock), else a &lt;name&gt;.spec file holding a URL, else a &lt;name&gt;.json
/// file with an "Addr". Searched in order: /run/docker/plugins, /etc/docker/plugins, /usr/lib/docker/plugins,
/// /etc/wharf/plugins (or the directories given).</summary>
public sealed class PluginDiscovery(IReadOnlyList<string>? directories = null)
{
    public static readonly IReadOnlyList<string> DefaultDirectories =
        ["/run/docker/plugins", "/etc/docker/plugins", "/usr/lib/docker/plugins", "/etc/wharf/plugins"];

    public IReadOnlyList<string> Directories { get; } = directories ?? DefaultDirectories;

    /// <summary>Names of every plugin the directories announce (sockets, &lt;name&gt;/&lt;name&gt;.sock, .spec and
    /// .json files), in order and without duplicates: what Docker activates to list all volume drivers.</summary>
    public IReadOnlyList<string> All()
    {
        var names = new List<string>();
        foreach (var directory in Directories)
        {
            if (!Directory.Exists(directory)) continue;
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                var file = Path.GetFileName(entry);
                var name = Path.GetExtension(file) is ".sock" or ".spec" or ".json" ? Path.GetFileNameWithoutExtension(file)
                    : Directory.Exists(entry) && File.Exists(Path.Combine(entry, file + ".sock")) ? file
                    : null;
                if (name is { Length: > 0 } && !names.Contains(name, StringComparer.Ordinal) && Find(name) is not null) names.Add(name);
            }
        }
        return names;
    }

    /// <summary>The plugin's address ("unix:///path.sock" or "tcp://host:port"), or null when not found.</summary>
    public string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..") return null;
        foreach (var directory in Directories)
        {
            foreach (var socket in new[] { Path.Combine(directory, name + ".sock"), Path.Combine(directory, name, name + ".sock") })
            {
                if (File.Exists(socket)) return "unix://" + socket;
            }
        }
        foreach (var directory in Directories)
        {
            var spec = Path.Combine(directory, name + ".spec");
            if (File.Exists(spec))
            {
                var url = File.ReadAllText(spec).Trim();
                if (url.Length > 0) return url;
            }
            var json = Path.Combine(directory, name + ".json");
            if (File.Exists(json))
            {
                try
                {
                    using var document = JsonDocument.Parse(File.ReadAllBytes(json));
                    if (document.RootElement.TryGetProperty("Addr", out var addr) && addr.GetString() is { Length: > 0 } address) return address;
                }
                catch (JsonException)
                {
                    // A broken spec is the same as none; the caller reports "not found".
                }
            }
        }
        return null;
    }
}
