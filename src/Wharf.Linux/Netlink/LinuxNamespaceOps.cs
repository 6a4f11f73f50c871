using Wharf.Core.Host;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Netlink;

/// <summary>Pins network namespaces on files with a bind mount of the creating thread's /proc/thread-self/ns/net.</summary>
public sealed class LinuxNamespaceOps : INamespaceOps
{
    private const ulong MS_BIND = 4096;

    public void CreateNetworkNamespace(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (File.Create(path)) { }
        try
        {
            NamespaceThread.RunInNewNamespace(() =>
                Errno.CheckIo(MountSyscalls.Mount("/proc/thread-self/ns/net", path, null, MS_BIND, null), "mount(bind netns)", path));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public void RemoveNetworkNamespace(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return;
        // EINVAL: not a mount point any more (half-done earlier teardown) — deleting the file finishes it.
        if (MountSyscalls.Umount2(path, MountSyscalls.MNT_DETACH) != 0 && Errno.Last is not (Errno.EINVAL or Errno.ENOENT))
            throw new SyscallException("umount2", path, Errno.Last);
        File.Delete(path);
    }
}
