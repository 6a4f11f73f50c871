using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Wharf.Core.Oci;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Exec;

/// <summary>The in-container half of a fast exec: the shim's own binary started in a hidden mode, already inside the
/// container's pid namespace and cgroups (the shim did both before sending the parameters). It does what runc 1.1's
/// nsexec + setns init do, in runc's order, then execve()s the process — on the MAIN thread, which is the one every
/// per-thread change below (namespaces, credentials, no_new_privs, seccomp) is made on:
/// join the namespaces (mount last, after unshare(CLONE_FS): a thread sharing its fs_struct may not change mount
/// namespace); rlimits; the session keyring "_ses.&lt;id&gt;"; no_new_privs; seccomp now when it is a privileged
/// operation (no no_new_privs); fds ≥ 3 close-on-exec; chdir (retried after the user switch on EACCES); drop the
/// bounding set; keep caps; stdio ownership, groups, gid, uid; clear keep caps; capset; HOME; look the binary up;
/// seccomp last when no_new_privs allows it; reset signals; execve.
/// Any failure is written to the error pipe (fd 4, close-on-exec: EOF without a message means the exec happened)
/// with runc's wording, and the helper exits 1.</summary>
public static unsafe class ExecHelper
{
    public const string Mode = "nsexec";
    public const int ParametersFd = 3;
    public const int ErrorFd = 4;
    public const int ExecutableFd = 5;

    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int EACCES = 13;
    private const int EINVAL = 22;
    private const int EPERM = 1;
    private const int EROFS = 30;
    private const int ENOSYS = 38;

    /// <summary>Runs the helper; returns only on failure (the exit code).</summary>
    public static int Run()
    {
        // First: nothing in the container may ptrace us or open our /proc files while we are a host binary.
        ExecSyscalls.Prctl(ExecSyscalls.PR_SET_DUMPABLE, 0, 0, 0, 0);
        try
        {
            FdSyscalls.Close(ExecutableFd);
            ExecParameters parameters;
            using (var input = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(ParametersFd, ownsHandle: true), FileAccess.Read, bufferSize: 0))
                parameters = JsonSerializer.Deserialize(input, ExecJsonContext.Default.ExecParameters) ?? throw new ExecFailure("no exec parameters");
            Enter(parameters);
            return 1; // Enter only returns by throwing
        }
        catch (ExecFailure e)
        {
            Report(e.Message);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            Report(e.Message);
        }
        return 1;
    }

    private static void Enter(ExecParameters parameters)
    {
        var process = parameters.Process;
        nint seccomp = 0;
        if (parameters.Seccomp is { } profile)
            seccomp = SeccompLoader.Compile(SeccompRules.Translate(profile, out var unsupported) ?? throw new ExecFailure("unsupported " + unsupported));
        JoinNamespaces(parameters.Namespaces);
        if (parameters.OomScoreAdj is { } adj)
            WriteProcFile("/proc/self/oom_score_adj", adj.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var rlimit in process.Rlimits ?? [])
            SetRlimit(rlimit);
        JoinSessionKeyring("_ses." + parameters.ContainerId);
        if (process.NoNewPrivileges)
            Check(ExecSyscalls.Prctl(ExecSyscalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
        if (seccomp != 0 && !process.NoNewPrivileges)
            SeccompLoader.Load(seccomp);

        // finalizeNamespace
        Check(ExecSyscalls.CloseRange(3, uint.MaxValue, ExecSyscalls.CLOSE_RANGE_CLOEXEC), "close_range");
        var retryChdir = false;
        if (process.Cwd.Length > 0)
        {
            var error = Chdir(process.Cwd);
            if (error == EACCES || error == EPERM)
                retryChdir = true;
            else if (error != 0)
                throw new ExecFailure($"chdir to cwd (\"{process.Cwd}\") set in config.json failed: {GoError(error)}");
        }
        var lastCap = LastCap();
        var bounding = CapabilityNames.Mask(process.Capabilities?.Bounding, lastCap);
        DropBoundingSet(bounding, lastCap);
        Check(ExecSyscalls.Prctl(ExecSyscalls.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        var home = SetUser(process.User);
        if (retryChdir && Chdir(process.Cwd) is var again and not 0)
            throw new ExecFailure($"chdir to cwd (\"{process.Cwd}\") set in config.json failed: {GoError(again)}");
        Check(ExecSyscalls.Prctl(ExecSyscalls.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_CLEAR_KEEPCAPS)");
        ApplyCapabilities(process.Capabilities, bounding, lastCap);

        var (env, envError) = ProcessEnvironment.Build(process.Env);
        if (env is null)
            throw new ExecFailure(envError!);
        var homeIndex = env.FindIndex(e => e.StartsWith("HOME=", StringComparison.Ordinal));
        if (homeIndex < 0)
            env.Add("HOME=" + home);
        else if (env[homeIndex] == "HOME=")
            env[homeIndex] = "HOME=" + home;

        if (process.Args.Count == 0)
            throw new ExecFailure("args must not be empty");
        var (path, lookupError) = ExecutableLookup.Find(process.Args[0], ProcessEnvironment.Get(env, "PATH"), Probe);
        if (path is null)
            throw new ExecFailure(lookupError!);
        var pathBytes = Utf8(path);
        if (ExecSyscalls.FaccessAt(-100, pathBytes, ExecSyscalls.X_OK, ExecSyscalls.AT_EACCESS) != 0)
            throw new ExecFailure($"exec {path}: {GoError(Marshal.GetLastPInvokeError())}");
        if (seccomp != 0 && process.NoNewPrivileges)
            SeccompLoader.Load(seccomp);
        ResetSignals();
        var argv = NullTerminated(process.Args);
        var envp = NullTerminated(env);
        ExecSyscalls.Execve(pathBytes, argv, envp);
        throw new ExecFailure($"exec {path}: {GoError(Marshal.GetLastPInvokeError())}");
    }

    private static void JoinNamespaces(IReadOnlyList<string> paths)
    {
        // All opened first: once in the container's mount namespace, the host's /proc paths are gone.
        var fds = new List<(int Fd, string Path)>();
        foreach (var path in paths)
        {
            var fd = ExecSyscalls.Open(Utf8(path), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0)
                throw new ExecFailure($"nsenter: failed to open {path}: {GoError(Marshal.GetLastPInvokeError())}");
            fds.Add((fd, path));
        }
        // A thread sharing its fs_struct (every thread of a multithreaded process) may not change mount namespace.
        Check(ExecSyscalls.Unshare(ExecSyscalls.CLONE_FS), "unshare(CLONE_FS)");
        foreach (var (fd, path) in fds)
        {
            if (ExecSyscalls.SetNs(fd, 0) != 0)
                throw new ExecFailure($"nsenter: failed to setns to {path}: {GoError(Marshal.GetLastPInvokeError())}");
            FdSyscalls.Close(fd);
        }
    }

    private static void SetRlimit(SpecRlimit rlimit)
    {
        var resource = RlimitNames.Number(rlimit.Type) ?? throw new ExecFailure($"unknown rlimit type {rlimit.Type}");
        var limits = stackalloc ulong[2] { rlimit.Soft, rlimit.Hard };
        if (ExecSyscalls.SetRlimit(resource, limits) != 0)
            throw new ExecFailure($"error setting rlimit type {resource}: {GoError(Marshal.GetLastPInvokeError())}");
    }

    private static void JoinSessionKeyring(string name)
    {
        if (ExecSyscalls.JoinSessionKeyring(Utf8(name)) < 0 && Marshal.GetLastPInvokeError() is var e and not ENOSYS)
            throw new ExecFailure($"unable to join session keyring: {GoError(e)}");
    }

    /// <summary>gocapability's bounding-set loop, which runc uses: it only runs while CAP_SETPCAP is effective; every
    /// capability not named is dropped (an EINVAL, a capability this kernel lacks, is ignored).</summary>
    private static void DropBoundingSet(ulong bounding, int lastCap)
    {
        if ((Effective() & (1UL << 8 /* CAP_SETPCAP */)) == 0)
            return;
        for (var cap = 0; cap <= lastCap; cap++)
        {
            if ((bounding & (1UL << cap)) != 0)
                continue;
            if (ExecSyscalls.Prctl(ExecSyscalls.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0) != 0 && Marshal.GetLastPInvokeError() is var e and not EINVAL)
                throw new ExecFailure($"prctl(PR_CAPBSET_DROP): {GoError(e)}");
        }
    }

    private static void ApplyCapabilities(SpecCapabilities? caps, ulong bounding, int lastCap)
    {
        DropBoundingSet(bounding, lastCap);
        var header = stackalloc uint[2] { 0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0 };
        var effective = CapabilityNames.Mask(caps?.Effective, lastCap);
        var permitted = CapabilityNames.Mask(caps?.Permitted, lastCap);
        // struct __user_cap_data_struct[2]: {effective, permitted, inheritable} for bits 0-31, then 32-63.
        var data = stackalloc uint[6] { (uint)effective, (uint)permitted, 0, (uint)(effective >> 32), (uint)(permitted >> 32), 0 };
        Check(ExecSyscalls.CapSet(header, data), "capset");
        // The spec has no ambient set here (Wharf writes none), and a fresh helper starts with an empty one.
    }

    private static ulong Effective()
    {
        var header = stackalloc uint[2] { 0x20080522, 0 };
        var data = stackalloc uint[6];
        Check(ExecSyscalls.CapGet(header, data), "capget");
        return data[0] | ((ulong)data[3] << 32);
    }

    /// <summary>runc's setupUser for "uid:gid": the home from the container's /etc/passwd, stdio handed to the user,
    /// supplementary groups = additionalGids (deduplicated; none → cleared), then gid, then uid.</summary>
    private static string SetUser(SpecUser user)
    {
        string? passwd = null;
        try
        {
            passwd = File.ReadAllText("/etc/passwd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        var home = ProcessEnvironment.HomeOf(user.Uid, passwd);
        FixStdioOwnership(user.Uid);
        var groups = (user.AdditionalGids ?? []).Distinct().ToArray();
        if (!File.ReadAllText("/proc/self/setgroups").Trim().Equals("deny", StringComparison.Ordinal))
        {
            fixed (uint* g = groups)
            {
                if (ExecSyscalls.SetGroups(groups.Length, g) != 0)
                    throw new ExecFailure($"setgroups: {GoError(Marshal.GetLastPInvokeError())}");
            }
        }
        if (ExecSyscalls.SetGid(user.Gid) != 0)
            throw new ExecFailure($"setgid: {GoError(Marshal.GetLastPInvokeError())}");
        if (ExecSyscalls.SetUid(user.Uid) != 0)
            throw new ExecFailure($"setuid: {GoError(Marshal.GetLastPInvokeError())}");
        return home;
    }

    /// <summary>runc's fixStdioPermissions: each of fds 0-2 not on /dev/null and not owned by the user is chowned to
    /// it (its group kept), so the user can reopen /proc/self/fd/N.</summary>
    private static void FixStdioOwnership(uint uid)
    {
        var buffer = stackalloc byte[StatxSyscalls.BufferSize];
        if (StatxSyscalls.Statx(StatxSyscalls.AtFdCwd, "/dev/null", 0, StatxSyscalls.StatxBasicStats, buffer) != 0)
            throw new ExecFailure($"stat /dev/null: {GoError(Marshal.GetLastPInvokeError())}");
        var nullDevice = (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.RdevMajorOffset, 4)),
            BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.RdevMinorOffset, 4)));
        foreach (var fd in new[] { 0, 2, 1 })
        {
            if (StatxSyscalls.Statx(fd, "", ExecSyscalls.AT_EMPTY_PATH, StatxSyscalls.StatxBasicStats, buffer) != 0)
                throw new ExecFailure($"fstat {fd}: {GoError(Marshal.GetLastPInvokeError())}");
            var owner = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.UidOffset, 4));
            var group = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.GidOffset, 4));
            var device = (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.RdevMajorOffset, 4)),
                BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.RdevMinorOffset, 4)));
            if (owner == uid || device == nullDevice)
                continue;
            if (ExecSyscalls.Fchown(fd, uid, group) != 0 && Marshal.GetLastPInvokeError() is var e and not (EINVAL or EPERM or EROFS))
                throw new ExecFailure($"fchown {fd}: {GoError(e)}");
        }
    }

    /// <summary>Go's findExecutable, in the container's root: any x bit on a non-directory.</summary>
    private static string? Probe(string path)
    {
        var buffer = stackalloc byte[StatxSyscalls.BufferSize];
        if (StatxSyscalls.Statx(StatxSyscalls.AtFdCwd, path, 0, StatxSyscalls.StatxBasicStats, buffer) != 0)
            return $"stat {path}: {GoError(Marshal.GetLastPInvokeError())}";
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(buffer + StatxSyscalls.ModeOffset, 2));
        var isDirectory = (mode & 0xF000) == 0x4000;
        return !isDirectory && (mode & 0x49) != 0 ? null : "permission denied";
    }

    /// <summary>execve keeps ignored signals ignored and the signal mask: the .NET runtime ignores SIGPIPE and may
    /// block others; the exec'd process must start with runc's clean slate.</summary>
    private static void ResetSignals()
    {
        for (var signal = 1; signal < 65; signal++)
        {
            if (signal is 9 or 19 or 32 or 33)
                continue; // SIGKILL/SIGSTOP cannot be changed; 32/33 belong to glibc
            ExecSyscalls.Signal(signal, 0 /* SIG_DFL */);
        }
        var empty = stackalloc byte[SignalSyscalls.SigSetSize];
        SignalSyscalls.SigEmptySet(empty);
        ExecSyscalls.SigProcMask(ExecSyscalls.SIG_SETMASK, empty, null);
    }

    private static int Chdir(string path) => ExecSyscalls.Chdir(Utf8(path)) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static int LastCap() =>
        int.TryParse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), out var last) ? last : 40;

    private static void WriteProcFile(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (IOException e)
        {
            throw new ExecFailure($"write {path}: {e.Message}");
        }
    }

    private static void Check(int result, string operation)
    {
        if (result != 0)
            throw new ExecFailure($"{operation}: {GoError(Marshal.GetLastPInvokeError())}");
    }

    private static void Report(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* p = bytes)
            ExecSyscalls.Write(ErrorFd, p, (nuint)bytes.Length);
    }

    /// <summary>Go's syscall.Errno text: glibc's strerror with a lower-case first letter ("no such file or directory").</summary>
    internal static string GoError(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static byte* Utf8(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var buffer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, count));
        buffer[count] = 0;
        return buffer;
    }

    private static byte** NullTerminated(IReadOnlyList<string> items)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < items.Count; i++)
            array[i] = Utf8(items[i]);
        return array;
    }

    private sealed class ExecFailure(string message) : Exception(message);
}
