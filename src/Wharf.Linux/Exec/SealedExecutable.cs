using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Exec;

/// <summary>Our own binary, made safe to execute inside a container (the CVE-2019-5736 class: a process in the
/// container that gets hold of /proc/&lt;helper&gt;/exe — e.g. by an entrypoint `#!/proc/self/exe` that makes the
/// kernel re-execute the helper's binary — must not be able to write the host's binary).
/// First choice, no copy at all: a DETACHED read-only bind mount of /proc/self/exe (open_tree(OPEN_TREE_CLONE) +
/// mount_setattr(MOUNT_ATTR_RDONLY)): the file is reachable only through our fd and the helper's /proc/PID/exe, and
/// every write open through them fails with EROFS. This is what runc 1.2 does first, and unlike a copy it costs no
/// memory per shim (1,000 containers = 1,000 shims). Fallback where open_tree is unavailable (kernel &lt; 5.12,
/// seccomp'd): a sealed memfd copy (F_SEAL_SEAL|SHRINK|GROW|WRITE), runc 1.1's defence.
/// Either way the result is verified, or we refuse to use it: the mount must report read-only (fstatvfs ST_RDONLY),
/// the memfd must carry F_SEAL_WRITE. (Trying a write open proves nothing here: while any shim runs the binary the
/// kernel answers ETXTBSY before it would answer EROFS.)</summary>
public static unsafe class SealedExecutable
{
    public static SafeFileHandle Create()
    {
        var handle = TryReadOnlyMount() ?? SealedCopy();
        if (!IsSealed(handle))
        {
            handle.Dispose();
            throw new IOException("the sealed copy of the shim binary is still writable");
        }
        return handle;
    }

    /// <summary>How it was sealed ("read-only mount" or "memfd"), for the log.</summary>
    public static string Kind(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var target = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget ?? "";
        return target.StartsWith("/memfd:", StringComparison.Ordinal) ? "memfd" : "read-only mount";
    }

    private static SafeFileHandle? TryReadOnlyMount()
    {
        int fd;
        fixed (byte* path = "/proc/self/exe\0"u8)
            fd = ExecSyscalls.OpenTree(-100, path, ExecSyscalls.OPEN_TREE_CLONE | ExecSyscalls.OPEN_TREE_CLOEXEC);
        if (fd < 0)
            return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var attr = stackalloc ulong[4] { ExecSyscalls.MOUNT_ATTR_RDONLY, 0, 0, 0 };
        fixed (byte* empty = "\0"u8)
        {
            if (ExecSyscalls.MountSetattr(fd, empty, ExecSyscalls.AT_EMPTY_PATH, attr, 32) != 0)
            {
                handle.Dispose();
                return null;
            }
        }
        return handle;
    }

    private static SafeFileHandle SealedCopy()
    {
        int fd;
        fixed (byte* name = "wharf-shim\0"u8)
            fd = Errno.CheckIo(ExecSyscalls.MemfdCreate(name, ExecSyscalls.MFD_CLOEXEC | ExecSyscalls.MFD_ALLOW_SEALING), "memfd_create");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        using (var source = File.OpenHandle("/proc/self/exe"))
        {
            var length = RandomAccess.GetLength(source);
            long offset = 0;
            while (offset < length)
            {
                var sent = ExecSyscalls.SendFile(fd, (int)source.DangerousGetHandle(), &offset, (nuint)(length - offset));
                if (sent <= 0)
                {
                    handle.Dispose();
                    throw new SyscallException("sendfile", "/proc/self/exe", Marshal.GetLastPInvokeError());
                }
            }
        }
        Errno.CheckIo(ExecSyscalls.Fcntl(fd, ExecSyscalls.F_ADD_SEALS,
            ExecSyscalls.F_SEAL_SEAL | ExecSyscalls.F_SEAL_SHRINK | ExecSyscalls.F_SEAL_GROW | ExecSyscalls.F_SEAL_WRITE), "fcntl(F_ADD_SEALS)");
        return handle;
    }

    /// <summary>True when no write can reach the file through <paramref name="handle"/>.</summary>
    public static bool IsSealed(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var fd = (int)handle.DangerousGetHandle();
        var seals = ExecSyscalls.Fcntl(fd, ExecSyscalls.F_GET_SEALS, 0);
        if (seals >= 0)
            return (seals & ExecSyscalls.F_SEAL_WRITE) != 0 && (seals & ExecSyscalls.F_SEAL_SEAL) != 0;
        var buffer = stackalloc byte[256];
        if (ExecSyscalls.Fstatvfs(fd, buffer) != 0)
            return false;
        // struct statvfs (64-bit glibc): nine 8-byte fields, then f_flag.
        return (*(ulong*)(buffer + 72) & 1 /* ST_RDONLY */) != 0;
    }
}
