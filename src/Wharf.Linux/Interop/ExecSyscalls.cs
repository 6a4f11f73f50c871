using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>The system calls the in-container exec helper needs. Credential changes (setgroups, setgid, setuid,
/// capset) go through raw syscall(2), NOT glibc's wrappers: glibc broadcasts set*id to every thread of the process
/// (POSIX semantics), while we deliberately change only the calling thread, which then execve()s (the kernel ends
/// the other threads and the new image inherits this thread's credentials).</summary>
internal static unsafe partial class ExecSyscalls
{
    public const int CLONE_FS = 0x00000200;
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWPID = 0x20000000;

    public const int PR_SET_DUMPABLE = 4;
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_RAISE = 2;

    public const int KEYCTL_JOIN_SESSION_KEYRING = 1;
    public const uint CLOSE_RANGE_CLOEXEC = 4;
    public const int X_OK = 1;
    public const int AT_EACCESS = 0x200;
    public const int SIG_SETMASK = 2;

    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_RECURSIVE = 0x8000;
    public const ulong MOUNT_ATTR_RDONLY = 0x1;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public const uint MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    public const ulong MS_PRIVATE = 1 << 18;

    public const uint MFD_CLOEXEC = 1;
    public const uint MFD_ALLOW_SEALING = 2;
    public const int F_ADD_SEALS = 1033;
    public const int F_GET_SEALS = 1034;
    public const int F_SEAL_SEAL = 1;
    public const int F_SEAL_SHRINK = 2;
    public const int F_SEAL_GROW = 4;
    public const int F_SEAL_WRITE = 8;

    /// <summary>Syscall numbers for the calls glibc either lacks or wraps with process-wide semantics.</summary>
    private static readonly (long SetGroups, long SetGid, long SetUid, long CapGet, long CapSet, long Keyctl, long CloseRange, long OpenTree, long MoveMount, long MountSetattr) Numbers =
        RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (116, 106, 105, 125, 126, 250, 436, 428, 429, 442),
            Architecture.Arm64 => (159, 144, 146, 90, 91, 219, 436, 428, 429, 442),
            var other => throw new PlatformNotSupportedException($"no syscall table for {other}"),
        };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    public static int SetGroups(int count, uint* gids) => (int)Syscall(Numbers.SetGroups, count, (long)gids, 0, 0, 0);
    public static int SetGid(uint gid) => (int)Syscall(Numbers.SetGid, gid, 0, 0, 0, 0);
    public static int SetUid(uint uid) => (int)Syscall(Numbers.SetUid, uid, 0, 0, 0, 0);
    public static int CapGet(void* header, void* data) => (int)Syscall(Numbers.CapGet, (long)header, (long)data, 0, 0, 0);
    public static int CapSet(void* header, void* data) => (int)Syscall(Numbers.CapSet, (long)header, (long)data, 0, 0, 0);
    public static int JoinSessionKeyring(byte* name) => (int)Syscall(Numbers.Keyctl, KEYCTL_JOIN_SESSION_KEYRING, (long)name, 0, 0, 0);
    public static int CloseRange(uint first, uint last, uint flags) => (int)Syscall(Numbers.CloseRange, first, last, flags, 0, 0);
    public static int OpenTree(int dirFd, byte* path, uint flags) => (int)Syscall(Numbers.OpenTree, dirFd, (long)path, flags, 0, 0);
    public static int MountSetattr(int dirFd, byte* path, uint flags, void* attr, nuint size) => (int)Syscall(Numbers.MountSetattr, dirFd, (long)path, flags, (long)attr, (long)size);
    public static int MoveMount(int fromDirFd, byte* fromPath, int toDirFd, byte* toPath, uint flags) => (int)Syscall(Numbers.MoveMount, fromDirFd, (long)fromPath, toDirFd, (long)toPath, flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "chdir", SetLastError = true)]
    public static partial int Chdir(byte* path);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true)]
    public static partial int FaccessAt(int dirFd, byte* path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int Fchown(int fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRlimit(int resource, ulong* limits);

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "signal")]
    public static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "sigprocmask")]
    public static partial int SigProcMask(int how, void* set, void* oldSet);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    public static partial int MemfdCreate(byte* name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "fstatvfs", SetLastError = true)]
    public static partial int Fstatvfs(int fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    public static partial nint SendFile(int outFd, int inFd, long* offset, nuint count);
}
