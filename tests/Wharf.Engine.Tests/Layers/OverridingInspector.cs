using Wharf.Engine.Layers;

namespace Wharf.Engine.Tests.Layers;

/// <summary>The managed inspector, except for paths told to look like overlay whiteouts or to carry xattrs, so the
/// differ's overlay handling is testable without root (mknod of 0:0 devices and trusted.* xattrs need it).</summary>
internal sealed class OverridingInspector : IFileInspector
{
    private readonly ManagedFileInspector _inner = new();

    public HashSet<string> Whiteouts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<KeyValuePair<string, byte[]>>> Xattrs { get; } = new(StringComparer.Ordinal);

    public FileStat? LStat(string path)
    {
        if (_inner.LStat(path) is not { } stat) return null;
        return Whiteouts.Contains(path) ? stat with { Mode = FileStat.CharacterDevice, RdevMajor = 0, RdevMinor = 0, Size = 0 } : stat;
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path) =>
        Xattrs.TryGetValue(path, out var list) ? list : _inner.ListXattrs(path);

    public DirectoryPin? PinDirectory(string path) => _inner.PinDirectory(path);
}
