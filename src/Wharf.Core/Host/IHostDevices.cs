namespace Wharf.Core.Host;

/// <summary>The host's device nodes: what --device looks up and what --privileged copies into a container.</summary>
public interface IHostDevices
{
    /// <summary>The device at <paramref name="path"/> (symlinks followed); null when nothing exists there.
    /// Throws InvalidOperationException when the path exists but is not a device node.</summary>
    HostDevice? Find(string path);

    /// <summary>Every device node under /dev, except the per-mount ones (pts, shm, mqueue) and the console.</summary>
    IReadOnlyList<HostDevice> All();
}
