using Wharf.Core.Host;
using Wharf.Linux.Interop;
using Wharf.Linux.Mounts;

namespace Wharf.Linux;

/// <summary>Performs <see cref="Wharf.Core.Mount"/> records with mount(2).</summary>
public sealed class LinuxMountOps : IMountOps
{
    public void Mount(Wharf.Core.Mount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var options = MountOptionParser.Parse(mount.Type, mount.Options);
        var target = mount.Target;
        CreateTarget(mount, options);

        if (options.IsBind)
        {
            // The kernel ignores ro/nosuid/... on the initial bind; they only stick on a remount.
            Errno.CheckIo(MountSyscalls.Mount(mount.Source, target, null, (ulong)(options.Flags & (MountFlags.Bind | MountFlags.Recursive)), null), "mount(bind)", target);
            if (options.RemountFlags != MountFlags.None)
            {
                var remount = MountFlags.Remount | MountFlags.Bind | options.RemountFlags;
                Errno.CheckIo(MountSyscalls.Mount(null, target, null, (ulong)remount, null), "mount(remount)", target);
            }
        }
        else
        {
            Errno.CheckIo(MountSyscalls.Mount(mount.Source, target, mount.Type, (ulong)options.Flags, options.Data), $"mount({mount.Type})", target);
        }

        if (options.Propagation != MountFlags.None)
            Errno.CheckIo(MountSyscalls.Mount(null, target, null, (ulong)options.Propagation, null), "mount(propagation)", target);
    }

    public void Unmount(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (MountSyscalls.Umount2(target, 0) == 0)
            return;
        var errno = Errno.Last;
        switch (errno)
        {
            case Errno.EINVAL or Errno.ENOENT:
                return; // not a mount point (any more): nothing to do
            case Errno.EBUSY:
                // Still in use (e.g. a process cwd): detach now, the kernel frees it when the last user goes.
                if (MountSyscalls.Umount2(target, MountSyscalls.MNT_DETACH) == 0)
                    return;
                errno = Errno.Last;
                if (errno is Errno.EINVAL or Errno.ENOENT)
                    return;
                break;
            default:
                break;
        }
        throw new SyscallException("umount2", target, errno);
    }

    public bool IsMounted(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (full.Length == 0)
            full = "/";
        foreach (var entry in MountInfo.ReadSelf())
        {
            if (string.Equals(entry.MountPoint, full, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static void CreateTarget(Wharf.Core.Mount mount, ParsedMountOptions options)
    {
        if (Directory.Exists(mount.Target) || File.Exists(mount.Target))
            return;
        // Binding a file needs a file to mount over, everything else a directory.
        if (options.IsBind && File.Exists(mount.Source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(mount.Target))!);
            using (File.Create(mount.Target))
            {
            }
            return;
        }
        Directory.CreateDirectory(mount.Target);
    }
}
