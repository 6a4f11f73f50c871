using Wharf.Core;
using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>IMountOps that records what it was asked to do and can be told to fail the next N mounts or unmounts.</summary>
public sealed class RecordingMountOps : IMountOps
{
    private readonly HashSet<string> _mounted = new(StringComparer.Ordinal);

    public List<Mount> Mounts { get; } = [];
    public List<string> Unmounts { get; } = [];
    public int FailNextMounts { get; set; }
    public int FailNextUnmounts { get; set; }

    public IReadOnlyCollection<string> CurrentlyMounted => _mounted;

    /// <summary>The targets <see cref="IsMounted"/> was asked about (a real one reads the whole mount table).</summary>
    public List<string> MountQueries { get; } = [];

    public void Mount(Mount mount)
    {
        if (FailNextMounts > 0)
        {
            FailNextMounts--;
            throw new IOException($"mount {mount.Target}: injected failure");
        }
        Mounts.Add(mount);
        _mounted.Add(mount.Target);
    }

    public void Unmount(string target)
    {
        if (FailNextUnmounts > 0)
        {
            FailNextUnmounts--;
            throw new IOException($"umount {target}: injected failure");
        }
        Unmounts.Add(target);
        _mounted.Remove(target);
    }

    public bool IsMounted(string target)
    {
        MountQueries.Add(target);
        return _mounted.Contains(target);
    }
}
