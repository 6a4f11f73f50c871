namespace Wharf.Core.Host;

/// <summary>Performs mounts described as data. Implemented by Wharf.Linux; faked in tests.</summary>
public interface IMountOps
{
    /// <summary>Mounts <paramref name="mount"/> at its Target, creating the target directory if needed.</summary>
    void Mount(Mount mount);

    /// <summary>Unmounts <paramref name="target"/> (lazily when busy). Not mounted is not an error.</summary>
    void Unmount(string target);

    /// <summary>True when <paramref name="target"/> is a mount point.</summary>
    bool IsMounted(string target);
}
