using System.Runtime.InteropServices;
using System.Text;
using Wharf.Linux.Interop;

namespace Wharf.Linux;

/// <summary>Starts processes with posix_spawn(3): never fork()s the managed runtime, hands the child exactly
/// fds 0-2 (everything else is closed with closefrom), resets all signal dispositions and the signal mask
/// (the .NET runtime ignores SIGPIPE, and children must not inherit that). The caller reaps the child.</summary>
public static unsafe class PosixSpawner
{
    public static int Spawn(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SafeHandle?[] handles = [request.Stdin, request.Stdout, request.Stderr, .. request.ExtraFds];
        var refs = new bool[handles.Length];
        var allocations = new List<nint>();
        void* fileActions = NativeMemory.AllocZeroed(SpawnSyscalls.FileActionsSize);
        void* attr = NativeMemory.AllocZeroed(SpawnSyscalls.AttrSize);
        void* sigset = NativeMemory.AllocZeroed(SignalSyscalls.SigSetSize);
        try
        {
            Errno.CheckReturnedError(SpawnSyscalls.FileActionsInit(fileActions), "posix_spawn_file_actions_init");
            Errno.CheckReturnedError(SpawnSyscalls.AttrInit(attr), "posix_spawnattr_init");

            var devNull = Utf8(allocations, "/dev/null");
            var outputFile = request.OutputFile is null ? null : Utf8(allocations, request.OutputFile);
            for (var fd = 0; fd < 3; fd++)
            {
                var handle = handles[fd];
                if (handle is not null)
                {
                    handle.DangerousAddRef(ref refs[fd]);
                    var source = (int)handle.DangerousGetHandle();
                    Errno.CheckReturnedError(SpawnSyscalls.FileActionsAddDup2(fileActions, source, fd), "posix_spawn_file_actions_adddup2");
                }
                else if (fd > 0 && outputFile is not null)
                {
                    // No O_CLOEXEC here: this fd is exactly the one the child must keep.
                    Errno.CheckReturnedError(SpawnSyscalls.FileActionsAddOpen(fileActions, fd, outputFile,
                        FdSyscalls.O_WRONLY | FdSyscalls.O_APPEND | FdSyscalls.O_CREAT, 0x1A4 /* 0644 */), "posix_spawn_file_actions_addopen", request.OutputFile);
                }
                else
                {
                    Errno.CheckReturnedError(SpawnSyscalls.FileActionsAddOpen(fileActions, fd, devNull,
                        fd == 0 ? FdSyscalls.O_RDONLY : FdSyscalls.O_WRONLY, 0), "posix_spawn_file_actions_addopen", "/dev/null");
                }
            }
            for (var i = 0; i < request.ExtraFds.Count; i++)
            {
                var fd = 3 + i;
                handles[fd]!.DangerousAddRef(ref refs[fd]);
                var source = (int)handles[fd]!.DangerousGetHandle();
                // dup2 actions run in order: a source below the last target could be overwritten before it is copied.
                if (source < 3 + request.ExtraFds.Count)
                    throw new ArgumentException($"fd {source} collides with the child's fd range 3..{2 + request.ExtraFds.Count}", nameof(request));
                Errno.CheckReturnedError(SpawnSyscalls.FileActionsAddDup2(fileActions, source, fd), "posix_spawn_file_actions_adddup2");
            }
            // Belt and braces: fds we (or whoever started us) opened without O_CLOEXEC must not leak.
            Errno.CheckReturnedError(SpawnSyscalls.FileActionsAddCloseFrom(fileActions, 3 + request.ExtraFds.Count), "posix_spawn_file_actions_addclosefrom_np");

            short flags = SpawnSyscalls.POSIX_SPAWN_SETSIGDEF | SpawnSyscalls.POSIX_SPAWN_SETSIGMASK;
            if (request.NewSession)
                flags |= SpawnSyscalls.POSIX_SPAWN_SETSID;
            SignalSyscalls.SigFillSet(sigset);
            Errno.CheckReturnedError(SpawnSyscalls.AttrSetSigDefault(attr, sigset), "posix_spawnattr_setsigdefault");
            SignalSyscalls.SigEmptySet(sigset);
            Errno.CheckReturnedError(SpawnSyscalls.AttrSetSigMask(attr, sigset), "posix_spawnattr_setsigmask");
            Errno.CheckReturnedError(SpawnSyscalls.AttrSetFlags(attr, flags), "posix_spawnattr_setflags");

            var path = ResolveExecutable(request.Path);
            var argv = NullTerminated(allocations, [path, .. request.Args]);
            var envp = NullTerminated(allocations, CurrentEnvironment());
            var error = SpawnSyscalls.PosixSpawn(out var pid, Utf8(allocations, path), fileActions, attr, argv, envp);
            Errno.CheckReturnedError(error, "posix_spawn", path);
            return pid;
        }
        finally
        {
            for (var i = 0; i < handles.Length; i++)
            {
                if (refs[i])
                    handles[i]!.DangerousRelease();
            }
            SpawnSyscalls.FileActionsDestroy(fileActions);
            SpawnSyscalls.AttrDestroy(attr);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
            foreach (var p in allocations)
                NativeMemory.Free((void*)p);
        }
    }

    /// <summary>posix_spawn (unlike posix_spawnp) needs a path; resolve bare names through PATH ourselves so
    /// a missing binary fails here with a clear message.</summary>
    internal static string ResolveExecutable(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return name;
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new SyscallException("posix_spawn", name, Errno.ENOENT);
    }

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            list.Add($"{entry.Key}={entry.Value}");
        return list;
    }

    private static byte* Utf8(List<nint> allocations, string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var buffer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        allocations.Add((nint)buffer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, count));
        buffer[count] = 0;
        return buffer;
    }

    private static byte** NullTerminated(List<nint> allocations, IReadOnlyList<string> items)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        allocations.Add((nint)array);
        for (var i = 0; i < items.Count; i++)
            array[i] = Utf8(allocations, items[i]);
        return array;
    }
}
