using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Core.Shim;
using Wharf.Linux;
using Wharf.Linux.Exec;

namespace Wharf.Shim;

/// <summary>Execs without runc: our own binary in its hidden <see cref="ExecHelper.Mode"/> is spawned inside the
/// container's pid namespace (so we reap it and know its pid at once, no pid file), moved into the container's
/// cgroups, then given its parameters; it joins the other namespaces and applies what runc exec applies
/// (<see cref="ExecHelper"/>). Its error pipe is close-on-exec: EOF alone means the process was exec'd.
/// runc exec remains the path for what is not reproduced here — <see cref="WhyNot"/> lists every such case:
/// a tty exec; a container with its own user or time namespace; seccomp filter flags or notify actions;
/// a binary that cannot be sealed or is not NativeAOT (a development build); and the test hook <c>&lt;state-dir&gt;/exec-via-runc</c> (its presence sends
/// every exec of this container through runc, so tests can compare both paths on one container).</summary>
internal sealed class FastExec : IDisposable
{
    /// <summary>The namespaces the helper joins, in runc's order (user first would come before them; pid is joined
    /// by spawning into it). The mount namespace's host path is opened before any is joined.</summary>
    private static readonly string[] JoinedNamespaces = ["ipc", "uts", "net", "mnt", "cgroup"];

    private readonly ShimOptions _options;
    private readonly IChildProcesses _reaper;
    private readonly Lazy<(RuntimeSpec? Spec, string? Unsupported)> _spec;
    private readonly Lock _gate = new();
    private SafeFileHandle? _executable;
    private string? _executableError;

    public FastExec(ShimOptions options, IChildProcesses reaper)
    {
        _options = options;
        _reaper = reaper;
        _spec = new Lazy<(RuntimeSpec?, string?)>(LoadSpec);
    }

    public string ForceRuncFile => Path.Combine(_options.StateDir, "exec-via-runc");

    /// <summary>Null when this exec can take the fast path; else why it goes through runc.</summary>
    public string? WhyNot(ShimRequest request, int initPid)
    {
        if (request.Tty)
            return "tty exec";
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled)
            return "not a NativeAOT shim (a JIT build's apphost cannot run from a sealed copy: its dll is beside the original)";
        if (File.Exists(ForceRuncFile))
            return "forced by " + ForceRuncFile;
        if (initPid <= 0)
            return "no container pid";
        var (spec, unsupported) = _spec.Value;
        if (spec is null)
            return unsupported;
        foreach (var type in new[] { "user", "time" })
        {
            if (Namespace(initPid, type) != Namespace(0, type))
                return $"the container has its own {type} namespace";
        }
        if (Executable() is null)
            return _executableError;
        return null;
    }

    /// <summary>Starts the helper; returns its pid, the waiter for its exit (registered at once, so it may be
    /// signalled), and the error message if it failed before exec'ing (null: the process runs).</summary>
    public async Task<(int Pid, Task<int> Exit, string? Error)> StartAsync(SpecProcess process, int initPid,
        SafeHandle? stdin, SafeHandle? stdout, SafeHandle? stderr)
    {
        var spec = _spec.Value.Spec!;
        var executable = Executable()!;
        var (parametersRead, parametersWrite) = UnixPipe.Create();
        var (errorRead, errorWrite) = UnixPipe.Create();
        int pid;
        using (parametersRead)
        using (errorWrite)
        {
            var request = new SpawnRequest
            {
                Path = $"/proc/self/fd/{ExecHelper.ExecutableFd}",
                Args = [ExecHelper.Mode],
                Stdin = stdin,
                Stdout = stdout,
                Stderr = stderr,
                // runc's nsexec calls setsid(): the exec'd process leads its own session.
                NewSession = true,
                ExtraFds = [parametersRead, errorWrite, executable],
            };
            var pidNamespace = Namespace(initPid, "pid");
            pid = pidNamespace == Namespace(0, "pid")
                ? _reaper.Spawn(request)
                : PidNamespaceSpawn.Run(NamespacePath(initPid, "pid"), () => _reaper.Spawn(request));
        }
        var exit = _reaper.WaitAsync(pid);
        using (errorRead)
        {
            try
            {
                CgroupMembership.Join(initPid, pid);
                var parameters = new ExecParameters
                {
                    Process = process with { Rlimits = process.Rlimits is { Count: > 0 } ? process.Rlimits : spec.Process.Rlimits },
                    Namespaces = JoinedNamespaces.Where(t => Namespace(initPid, t) != Namespace(0, t)).Select(t => NamespacePath(initPid, t)).ToList(),
                    Seccomp = spec.Linux.Seccomp,
                    ContainerId = _options.Id,
                    OomScoreAdj = spec.Process.OomScoreAdj,
                };
                using (var output = new FileStream(parametersWrite, FileAccess.Write, bufferSize: 0))
                    await JsonSerializer.SerializeAsync(output, parameters, ExecJsonContext.Default.ExecParameters).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                parametersWrite.Dispose();
                _reaper.TrySignal(pid, 9);
                return (pid, exit, e.Message);
            }
            using var reader = new FileStream(errorRead, FileAccess.Read, bufferSize: 0);
            var message = new MemoryStream();
            await reader.CopyToAsync(message).ConfigureAwait(false);
            var error = message.Length == 0 ? null : System.Text.Encoding.UTF8.GetString(message.ToArray());
            return (pid, exit, error);
        }
    }

    public void Dispose() => _executable?.Dispose();

    private SafeFileHandle? Executable()
    {
        lock (_gate)
        {
            if (_executable is null && _executableError is null)
            {
                try
                {
                    _executable = SealedExecutable.Create();
                }
                catch (IOException e)
                {
                    _executableError = "cannot seal the shim binary: " + e.Message;
                    Console.Error.WriteLine($"wharf-shim: {_executableError}; execs go through runc");
                }
            }
            return _executable;
        }
    }

    private (RuntimeSpec?, string?) LoadSpec()
    {
        try
        {
            var spec = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(_options.Bundle, "config.json")), CoreJsonContext.Default.RuntimeSpec);
            if (spec is null)
                return (null, "empty config.json");
            if (spec.Linux.Seccomp is { } seccomp && SeccompRules.Translate(seccomp, out var unsupported) is null)
                return (null, unsupported);
            return (spec, null);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return (null, "config.json: " + e.Message);
        }
    }

    private static string NamespacePath(int pid, string type) =>
        $"/proc/{(pid == 0 ? "self" : pid.ToString(CultureInfo.InvariantCulture))}/ns/{type}";

    /// <summary>The namespace's identity ("net:[4026531840]"); "" when the kernel has no such namespace type.</summary>
    private static string Namespace(int pid, string type)
    {
        try
        {
            return new FileInfo(NamespacePath(pid, type)).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
