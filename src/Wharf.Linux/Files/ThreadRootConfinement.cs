using Wharf.Core.Host;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Files;

/// <summary>Confines work to a root the way the kernel confines a chrooted process, for one thread only: a fresh
/// thread stops sharing its filesystem context with the process (unshare CLONE_FS: root, cwd and umask become its
/// own), changes into the root through a descriptor and makes it its root. From then on every lookup on that thread
/// — ".." at the top, absolute symlinks, symlinks swapped in at any moment — stays inside, as for the container's
/// own processes; the rest of the daemon is untouched. Docker's answer to the same race (CVE-2018-15664) is a
/// chrooted child process; a thread costs a fraction of that.
///
/// A thread created from a confined thread (the runtime makes thread-pool workers on the thread that first needs
/// one) would share its root, so the work must not queue anything (it does syscalls and blocking pipe I/O only), and
/// the host's root is put back — through descriptors kept from before — before the work's result is handed over,
/// which is when a continuation would first be queued.</summary>
public sealed class ThreadRootConfinement : IRootConfinement
{
    public Task<T> RunAsync<T>(string root, Func<string, T> work)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(root, work, done))
        {
            IsBackground = true,
            Name = "wharf-confined",
        };
        thread.Start();
        return done.Task;
    }

    public async Task BindAsync(string root, string path, string target)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        var relative = "/" + path.TrimStart('/');
        var fd = await RunAsync(root, _ => Errno.CheckIo(RootSyscalls.Open(relative, RootSyscalls.O_PATH | RootSyscalls.O_CLOEXEC), "open", path)).ConfigureAwait(false);
        try
        {
            // /proc/self/fd/N names the very object opened inside the root; mount(2) binds that object.
            var pinned = $"/proc/self/fd/{fd}";
            if (Directory.Exists(pinned))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!File.Exists(target)) File.WriteAllBytes(target, []);
            }
            Errno.CheckIo(MountSyscalls.Mount(pinned, target, null, MsBind | MsRec, null), "mount", target);
        }
        finally
        {
            RootSyscalls.Close(fd);
        }
    }

    public async Task MountOntoAsync(string root, string path, string source, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source);
        var relative = "/" + path.TrimStart('/');
        var sourceIsDirectory = Directory.Exists(source);
        // The place is found (and made, as Docker makes a missing mount point) confined, and pinned by a descriptor.
        var place = await RunAsync(root, _ =>
        {
            if (sourceIsDirectory)
            {
                Directory.CreateDirectory(relative);
            }
            else if (!File.Exists(relative) && !Directory.Exists(relative))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(relative)!);
                File.WriteAllBytes(relative, []);
            }
            return Errno.CheckIo(RootSyscalls.Open(relative, RootSyscalls.O_PATH | RootSyscalls.O_CLOEXEC), "open", path);
        }).ConfigureAwait(false);
        try
        {
            // A detached copy of the source's tree (private, read-only if asked) is attached to that very object.
            var tree = OpenTreeCopy(source);
            try
            {
                SetAttributes(tree, readOnly, source);
                MoveOnto(tree, place, path);
            }
            finally
            {
                RootSyscalls.Close(tree);
            }
        }
        finally
        {
            RootSyscalls.Close(place);
        }
    }

    private static unsafe int OpenTreeCopy(string source)
    {
        fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(source + "\0"))
            return Errno.CheckIo(ExecSyscalls.OpenTree(-100 /* AT_FDCWD */, path,
                ExecSyscalls.OPEN_TREE_CLONE | ExecSyscalls.OPEN_TREE_CLOEXEC | (uint)ExecSyscalls.AT_RECURSIVE), "open_tree", source);
    }

    private static unsafe void SetAttributes(int tree, bool readOnly, string source)
    {
        // struct mount_attr: attr_set, attr_clr, propagation, userns_fd.
        var attributes = stackalloc ulong[4] { readOnly ? ExecSyscalls.MOUNT_ATTR_RDONLY : 0, 0, ExecSyscalls.MS_PRIVATE, 0 };
        fixed (byte* empty = "\0"u8)
            Errno.CheckIo(ExecSyscalls.MountSetattr(tree, empty, (uint)(ExecSyscalls.AT_EMPTY_PATH | ExecSyscalls.AT_RECURSIVE), attributes, 32),
                "mount_setattr", source);
    }

    private static unsafe void MoveOnto(int tree, int place, string path)
    {
        fixed (byte* empty = "\0"u8)
            Errno.CheckIo(ExecSyscalls.MoveMount(tree, empty, place, empty, ExecSyscalls.MOVE_MOUNT_F_EMPTY_PATH | ExecSyscalls.MOVE_MOUNT_T_EMPTY_PATH),
                "move_mount", path);
    }

    public async Task<RootFile> ReadFileAsync(string root, string path, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var relative = "/" + path.TrimStart('/');
        // Found confined, pinned by an O_PATH descriptor; checked and read on the host's side through that descriptor.
        var fd = await RunAsync(root, _ => PinnedFile.OpenPath(relative)).ConfigureAwait(false);
        if (fd < 0) return RootFile.Missing;
        try
        {
            return PinnedFile.Read(fd, maxBytes, path);
        }
        finally
        {
            RootSyscalls.Close(fd);
        }
    }

    private const ulong MsBind = 0x1000;
    private const ulong MsRec = 0x4000;

    private static void Run<T>(string root, Func<string, T> work, TaskCompletionSource<T> done)
    {
        T result;
        try
        {
            using var host = HostContext.Save();
            Errno.CheckIo(RootSyscalls.Unshare(RootSyscalls.CLONE_FS), "unshare(CLONE_FS)");
            try
            {
                EnterRoot(root);
                result = work("/");
            }
            finally
            {
                host.Restore();
            }
        }
        catch (Exception e)
        {
            done.SetException(e);
            return;
        }
        done.SetResult(result);
    }

    private static void EnterRoot(string root)
    {
        // The root itself is trusted (ours, or the container's /proc/<pid>/root magic link, which is meant to be
        // followed); only what lies below it is the container's to change.
        var fd = Errno.CheckIo(RootSyscalls.Open(root, RootSyscalls.O_PATH | RootSyscalls.O_DIRECTORY | RootSyscalls.O_CLOEXEC), "open", root);
        try
        {
            Errno.CheckIo(RootSyscalls.Fchdir(fd), "fchdir", root);
            Errno.CheckIo(RootSyscalls.Chroot("."), "chroot", root);
        }
        finally
        {
            RootSyscalls.Close(fd);
        }
    }

    /// <summary>The thread's root and working directory as descriptors, to return to them.</summary>
    private sealed class HostContext : IDisposable
    {
        private readonly int _root;
        private readonly int _cwd;

        private HostContext(int root, int cwd)
        {
            _root = root;
            _cwd = cwd;
        }

        public static HostContext Save()
        {
            var flags = RootSyscalls.O_PATH | RootSyscalls.O_DIRECTORY | RootSyscalls.O_CLOEXEC;
            var root = Errno.CheckIo(RootSyscalls.Open("/", flags), "open", "/");
            var cwd = RootSyscalls.Open(".", flags);
            if (cwd < 0)
            {
                RootSyscalls.Close(root);
                Errno.CheckIo(cwd, "open", ".");
            }
            return new HostContext(root, cwd);
        }

        public void Restore()
        {
            // Failing here would leave the thread (and any thread made from it) confined: nothing can go on safely.
            if (RootSyscalls.Fchdir(_root) != 0 || RootSyscalls.Chroot(".") != 0 || RootSyscalls.Fchdir(_cwd) != 0)
                Environment.FailFast("wharf: cannot return a confined thread to the host's root");
        }

        public void Dispose()
        {
            RootSyscalls.Close(_root);
            RootSyscalls.Close(_cwd);
        }
    }
}
