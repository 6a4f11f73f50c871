using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>INamespaceOps that tracks which namespace paths are pinned.</summary>
public sealed class RecordingNamespaceOps : INamespaceOps
{
    public HashSet<string> Pinned { get; } = new(StringComparer.Ordinal);
    public List<string> Removed { get; } = [];

    public void CreateNetworkNamespace(string path) => Pinned.Add(path);

    public void RemoveNetworkNamespace(string path)
    {
        Removed.Add(path);
        Pinned.Remove(path);
    }
}
