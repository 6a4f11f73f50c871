using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Core;
using Wharf.Engine.Containers.Spec;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Containers;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Execs;

/// <summary>docker exec: exec instances of running containers, run through the container's shim (one `runc exec`
/// each), and the health probes, which are execs too.</summary>
public sealed class ContainerExecService : IDisposable
{
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly IShimClient _shims;
    private readonly IRootConfinement _confinement;
    private readonly ContainerEvents _events;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _shutdown = new();
    private static readonly TimeSpan ExecReadyTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, ExecRecord> _execs = new(StringComparer.Ordinal);


    /// <param name="confinement">Reads the container's /etc/passwd and /etc/group for `exec -u name`: the container
    /// runs, and may swap them for a FIFO, a device or a symlink to a host file while they are read.</param>
    public ContainerExecService(EngineOptions options, ContainerStore store, IShimClient shims, IRootConfinement confinement, ContainerEvents events,
        ILogger<ContainerExecService>? log = null)
    {
        _options = options;
        _store = store;
        _shims = shims;
        _confinement = confinement;
        _events = events;
        _log = log ?? NullLogger<ContainerExecService>.Instance;
    }

    /// <summary>POST /containers/{id}/exec: records the exec (nothing runs yet) and publishes exec_create.</summary>
    public ExecRecord CreateExec(string nameOrId, ExecCreateParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var record = _store.Get(nameOrId);
        if (parameters.Cmd.Count == 0 || parameters.Cmd.All(string.IsNullOrEmpty)) throw EngineException.Invalid("No exec command specified");
        EnsureCanExec(record);
        var exec = new ExecRecord { Id = ContainerStore.NewId(), ContainerId = record.Id, Config = parameters };
        _execs[exec.Id] = exec;
        Publish(record, "exec_create: " + exec.CommandLine, ("execID", exec.Id));
        return exec;
    }

    public ExecRecord GetExec(string execId) =>
        _execs.TryGetValue(execId ?? "", out var exec) ? exec : throw EngineException.NotFound($"No such exec instance: {execId}");

    private const int ExecStartFailedExitCode = 126;

    /// <summary>POST /exec/{id}/start: runs the exec through the container's shim (one `runc exec`). Attached: the
    /// session's stream carries output and takes stdin. Detached: no stream. A process that cannot be started
    /// fails with runc's wording and leaves ExitCode 126 as Docker does.</summary>
    public async Task<ExecSession> StartExecAsync(string execId, bool detach, (int Height, int Width)? consoleSize, CancellationToken ct)
    {
        var exec = GetExec(execId);
        lock (exec)
        {
            if (exec.Started) throw EngineException.Conflict($"Exec command {exec.Id} is already running");
            exec.Started = true;
        }
        try
        {
            return await StartExecCoreAsync(exec, detach, consoleSize, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            exec.ExitCode ??= e is EngineException { Kind: ErrorKind.InvalidArgument } ? 126 : exec.ExitCode;
            exec.Ready.TrySetResult();
            exec.Exited.TrySetResult(exec.ExitCode ?? -1);
            throw;
        }
    }

    private async Task<ExecSession> StartExecCoreAsync(ExecRecord exec, bool detach, (int Height, int Width)? consoleSize, CancellationToken ct)
    {
        var record = _store.Get(exec.ContainerId);
        EnsureCanExec(record);
        var paths = PathsOf(record);
        var spec = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(paths.SpecFile, ct).ConfigureAwait(false), CoreJsonContext.Default.RuntimeSpec)
            ?? throw new IOException("container spec is empty");
        var config = exec.Config;
        if (consoleSize is { Height: > 0, Width: > 0 }) config = config with { ConsoleSize = consoleSize };
        var user = config.User.Length > 0 ? await UserResolver.ResolveInRootAsync(_confinement, paths.RootfsMount, config.User).ConfigureAwait(false) : null;
        var process = ExecProcessBuilder.Build(spec.Process, config, user, _options.HostCapabilities);
        var request = new ShimRequest
        {
            Op = ShimOps.Exec,
            ExecId = exec.Id,
            Process = process,
            Tty = config.Tty,
            Stdin = !detach && config.AttachStdin,
            Stdout = !detach && config.AttachStdout,
            Stderr = !detach && config.AttachStderr,
        };
        var (answer, stream) = await _shims.OpenAsync(paths.StateDir, request, ct).ConfigureAwait(false);
        if (!answer.Ok || stream is null)
        {
            var error = answer.Error ?? "unknown error";
            // Docker's exec inspect gives 126 for every start failure, a missing executable included: the
            // shell-like 127 is only what `docker run` reports for the container's own process (StartErrors).
            exec.ExitCode = ExecStartFailedExitCode;
            throw new EngineException(ErrorKind.InvalidArgument, $"OCI runtime exec failed: {error}: unknown");
        }
        exec.Pid = answer.Pid;
        exec.Running = true;
        exec.Ready.TrySetResult();
        Publish(record, "exec_start: " + exec.CommandLine, ("execID", exec.Id));
        WatchExecAsync(record, exec, paths.StateDir).Observe(_log, "exec watch", exec.Id);
        if (detach)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return new ExecSession(exec, null, exec.Exited.Task);
        }
        return new ExecSession(exec, stream, exec.Exited.Task);
    }

    /// <summary>Learns the exec's exit from the shim, records it and publishes exec_die.</summary>
    private async Task WatchExecAsync(ContainerSnapshot record, ExecRecord exec, string stateDir)
    {
        int exitCode;
        try
        {
            var answer = await _shims.WaitAsync(stateDir, exec.Id, _shutdown.Token).ConfigureAwait(false);
            exitCode = answer.Ok ? answer.ExitCode : -1;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            exitCode = -1; // the shim is gone: the container (and so the exec) ended
            if (e is not OperationCanceledException) ContainerLog.ExecShimGone(_log, e, record.Id, exec.Id);
        }
        exec.ExitCode = exitCode;
        exec.Running = false;
        Publish(record, "exec_die", ("execID", exec.Id), ("exitCode", exitCode.ToString(CultureInfo.InvariantCulture)));
        exec.Exited.TrySetResult(exitCode);
    }

    /// <summary>POST /exec/{id}/resize. The CLI sends it right after the 101, possibly before the process runs,
    /// so it waits for the start (bounded) as Docker does. Without a TTY it is a no-op.</summary>
    public async Task ResizeExecAsync(string execId, int height, int width, CancellationToken ct)
    {
        var exec = GetExec(execId);
        if (!exec.Config.Tty) return;
        try
        {
            await exec.Ready.Task.WaitAsync(ExecReadyTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new EngineException(ErrorKind.Unknown, "timeout waiting for exec session ready");
        }
        if (!exec.Running) throw EngineException.Conflict($"Exec {exec.Id} is not running");
        var record = _store.Get(exec.ContainerId);
        var answer = await _shims.ResizeAsync(PathsOf(record).StateDir, exec.Id, height, width, ct).ConfigureAwait(false);
        if (!answer.Ok && exec.Running) throw new EngineException(ErrorKind.Unknown, answer.Error ?? "resize failed");
    }

    /// <summary>Runs <paramref name="cmd"/> in the container like a health-check probe: exit code and the first
    /// 4 KiB of combined output. On timeout the process is killed and the exit code is -1.</summary>
    public async Task<ExecOutcome> RunProbeAsync(string containerId, IReadOnlyList<string> cmd, TimeSpan timeout, CancellationToken ct)
    {
        const int MaxOutput = 4096;
        var exec = CreateExec(containerId, new ExecCreateParams { Cmd = cmd, AttachStdout = true, AttachStderr = true });
        try
        {
            ExecSession session;
            try
            {
                session = await StartExecAsync(exec.Id, detach: false, consoleSize: null, ct).ConfigureAwait(false);
            }
            catch (EngineException e) when (e.Kind is ErrorKind.InvalidArgument)
            {
                return new ExecOutcome(exec.ExitCode ?? 126, e.Message);
            }
            var output = new MemoryStream();
            await using (session.Stream!.ConfigureAwait(false))
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(timeout);
                try
                {
                    await ExecFrames.CollectAsync(session.Stream!, output, MaxOutput, deadline.Token).ConfigureAwait(false);
                    var exitCode = await session.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
                    return new ExecOutcome(exitCode, System.Text.Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await KillExecAsync(exec, 9).ConfigureAwait(false);
                    return new ExecOutcome(-1, System.Text.Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
                }
            }
        }
        finally
        {
            _execs.TryRemove(exec.Id, out _);
        }
    }

    private async Task KillExecAsync(ExecRecord exec, int signal)
    {
        if (!TryGet(exec.ContainerId, out var record)) return;
        try
        {
            await _shims.KillAsync(PathsOf(record).StateDir, signal, exec.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // the shim is gone, and the exec with it
            ContainerLog.ExecShimGone(_log, e, record.Id, exec.Id);
        }
    }

    private static void EnsureCanExec(ContainerSnapshot record)
    {
        if (record.State.Paused) throw EngineException.Conflict($"container {record.Id} is paused, unpause the container before exec");
        if (record.State.Restarting) throw EngineException.Conflict($"container {record.Id} is restarting, wait until the container is running");
        if (!record.State.Running) throw EngineException.Conflict($"container {record.Id} is not running");
    }

    public void Dispose()
    {
        // Stops the exec watchers only: execs run on under their container's shim. Idempotent.
        if (_shutdown.IsCancellationRequested) return;
        _shutdown.Cancel();
    }

    // Execs only read their container: they see its published snapshot, never the live record.
    private bool TryGet(string nameOrId, out ContainerSnapshot record) => _store.TryGet(nameOrId, out record);

    private ContainerPaths PathsOf(ContainerSnapshot record) => _store.PathsOf(record);

    private void Publish(ContainerSnapshot record, string action, params (string Key, string Value)[] extra) => _events.Publish(record, action, extra);
}
