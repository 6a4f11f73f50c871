using System.Globalization;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Wharf.Core;
using Wharf.Core.Shim;
using Wharf.Linux;

namespace Wharf.Shim;

/// <summary>One container run by runc: starts it, owns its stdio pipes, learns its exit from the reaper,
/// records it, and cleans up (runc delete, rootfs unmount). <see cref="Finished"/> completes when the shim
/// has nothing left to do and may exit.</summary>
internal sealed partial class ContainerProcess : IDisposable
{
    private const int SigKill = 9;

    /// <summary>How long to keep reading output after init exited, in case a grandchild holds the pipes.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    /// <summary>How long the exit waits for the log writer to take the last partial lines: a stuck writer (a hung
    /// disk) must not keep the exit from being recorded.</summary>
    private static readonly TimeSpan CompleteLimit = TimeSpan.FromSeconds(2);

    private readonly ShimOptions _options;
    private readonly IChildProcesses _reaper;
    private readonly OutputHub _hub;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Lock _stdinGate = new();
    private readonly TaskCompletionSource<ShimExitRecord> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _pumps = [];
    private ContainerStatus _status = ContainerStatus.Created;
    private int _pid;
    private DateTimeOffset? _startedAt;
    private FileStream? _stdin;
    /// <summary>The container's end of its stdin pipe, made with the process object rather than at start: an
    /// attach may deliver input, and its EOF, before the container runs; the pipe keeps both for it.</summary>
    private SafeFileHandle? _stdinRead;
    private Wharf.Linux.Cgroups.OomCounter? _oomCounter;

    public ContainerProcess(ShimOptions options, IChildProcesses reaper, OutputHub hub, TimeProvider time)
    {
        _options = options;
        _reaper = reaper;
        _hub = hub;
        _time = time;
        if (options.OpenStdin)
        {
            (_stdinRead, var stdinWrite) = UnixPipe.Create();
            _stdin = new FileStream(stdinWrite, FileAccess.Write, bufferSize: 0);
        }
    }

    public Task<ShimExitRecord> Exited => _exited.Task;

    /// <summary>Completes once the container is gone and cleaned up (or start failed): time for the shim to exit.</summary>
    public Task Finished => _finished.Task;

    public bool HasStdin => _options.OpenStdin;

    public async Task<ShimResponse> StartAsync()
    {
        lock (_gate)
        {
            if (_status != ContainerStatus.Created)
                return Fail($"container is {_status.ToString().ToLowerInvariant()}, cannot start it again");
            _status = ContainerStatus.Starting;
        }
        var runcLog = Path.Combine(_options.StateDir, "runc.log");
        var pidFile = ShimPaths.ContainerPidFile(_options.StateDir);
        File.Delete(runcLog);
        File.Delete(pidFile);

        int exitCode;
        var (stdoutRead, stdoutWrite) = UnixPipe.Create();
        var (stderrRead, stderrWrite) = UnixPipe.Create();
        var stdinRead = _stdinRead;
        _stdinRead = null;
        try
        {
            _pumps.Add(OutputPump.Start(stdoutRead, OutputStream.Stdout, _hub));
            _pumps.Add(OutputPump.Start(stderrRead, OutputStream.Stderr, _hub));

            using var console = OpenConsoleSocket();
            // runc -d hands its own stdio to the container, so the pipe ends go to runc.
            var request = new SpawnRequest
            {
                Path = _options.Runtime,
                Args =
                [
                    "--root", _options.RuntimeRoot, "--log", runcLog, "--log-format", "json",
                    "run", "-d", .. ConsoleArgs(console), "--pid-file", pidFile, "--bundle", _options.Bundle, _options.Id,
                ],
                Stdin = stdinRead,
                Stdout = stdoutWrite,
                Stderr = stderrWrite,
            };
            var runcPid = _reaper.Spawn(request);
            var master = ReceiveConsoleAsync(console);
            // Our copies of the container's ends must go, or the pumps never see EOF.
            stdoutWrite.Dispose();
            stderrWrite.Dispose();
            stdinRead?.Dispose();
            exitCode = ProcessControl.ExitCodeFromWaitStatus(await _reaper.WaitAsync(runcPid).ConfigureAwait(false));
            if (exitCode == 0)
                await AdoptTerminalAsync(master).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stdoutWrite.Dispose();
            stderrWrite.Dispose();
            stdinRead?.Dispose();
            return await FailStartAsync(e.Message).ConfigureAwait(false);
        }

        if (exitCode != 0)
            return await FailStartAsync(RuncErrorLog.LastError(runcLog) ?? $"runc run exited with status {exitCode}").ConfigureAwait(false);

        int pid;
        try
        {
            pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return await FailStartAsync($"cannot read container pid: {e.Message}").ConfigureAwait(false);
        }

        // Located now, while the process lives; read at its exit, before runc delete removes the cgroup.
        _oomCounter = Wharf.Linux.Cgroups.OomCounter.ForProcess(pid);
        lock (_gate)
        {
            _pid = pid;
            _startedAt = _time.GetUtcNow();
            _status = ContainerStatus.Running;
        }
        // Registered before anyone can ask for a kill: a pid with a pending waiter is one the reaper lets us signal.
        var exit = _reaper.WaitAsync(pid);
        // Held output goes to the log off this path: a stuck log writer must not hold up the start answer. The
        // exit waits for it like for a pump (bounded).
        _pumps.Add(Task.Run(_hub.GoLive));
        _ = MonitorAsync(pid, exit);
        return new ShimResponse { Ok = true, Pid = pid, Status = "running" };
    }

    public async Task<ShimResponse> KillAsync(int signal, bool all)
    {
        int pid;
        lock (_gate)
        {
            if (_status != ContainerStatus.Running)
                return Fail($"container is not running ({_status.ToString().ToLowerInvariant()})");
            pid = _pid;
        }
        if (signal <= 0)
            signal = SigKill;
        try
        {
            if (all)
            {
                var code = await _reaper.RunAsync(RuncRequest("kill", "--all", _options.Id, signal.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
                return code == 0 ? new ShimResponse { Ok = true } : Fail($"runc kill --all exited with status {code}");
            }
            // Never kill(2) a pid the reaper has taken: it may belong to another process by now.
            return _reaper.TrySignal(pid, signal) ? new ShimResponse { Ok = true } : Fail("container is not running (exited)");
        }
        catch (IOException e)
        {
            return Fail(e.Message);
        }
    }

    public ShimResponse State()
    {
        lock (_gate)
        {
            var response = new ShimResponse { Ok = true, Pid = _pid, Status = StatusWord(_status) };
            if (_exited.Task.IsCompletedSuccessfully)
            {
                var exit = _exited.Task.Result;
                response = response with { ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, OomKilled = exit.OomKilled };
            }
            return response;
        }
    }

    /// <summary>Bytes from an attached client for the container's stdin.</summary>
    public void WriteStdin(ReadOnlySpan<byte> data)
    {
        lock (_stdinGate)
        {
            try
            {
                _stdin?.Write(data);
            }
            catch (IOException)
            {
                // container closed its stdin or exited: nothing to deliver to
            }
        }
    }

    /// <summary>An attached client closed its input: with --stdin-once that closes the container's stdin.</summary>
    public void StdinClientClosed()
    {
        if (_options.StdinOnce && !_options.Tty) // as Docker: a terminal's stdin stays open for the next attach
            CloseStdin();
    }

    public void CloseStdin()
    {
        lock (_stdinGate)
        {
            _stdin?.Dispose();
            _stdin = null;
        }
    }

    public void Dispose()
    {
        CloseStdin();
        _stdinRead?.Dispose(); // never started: the container's end was never handed to runc
        DisposeTerminal();
    }

    /// <summary>The container's exit, recorded whatever the output side does: the pumps get a bounded drain, the log
    /// writer a bounded flush, and their failures are theirs; the status, the exit file and <see cref="Exited"/>
    /// always follow (or `docker stop` and `rm -f` would fail on a container that is long gone).</summary>
    private async Task MonitorAsync(int pid, Task<int> exit)
    {
        var waitStatus = await exit.ConfigureAwait(false);
        var record = new ShimExitRecord
        {
            ExitCode = ProcessControl.ExitCodeFromWaitStatus(waitStatus),
            FinishedAt = _time.GetUtcNow(),
            StartedAt = _startedAt,
            Pid = pid,
        };
        try
        {
            await FinishOutputAsync().ConfigureAwait(false);
            record = record with { OomKilled = _oomCounter?.Kills() > 0 };
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"wharf-shim: finishing output after exit: {e.Message}");
        }
        finally
        {
            lock (_gate)
                _status = ContainerStatus.Exited;
            try
            {
                WriteExitRecord(record);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"wharf-shim: cannot write exit record: {e.Message}");
            }
            _exited.TrySetResult(record);
        }
        await CleanUpAsync().ConfigureAwait(false);
        _finished.TrySetResult();
    }

    /// <summary>Waits (bounded) for the pumps to drain, then completes the hub (bounded too: it flushes partial lines
    /// to a writer that may hang), and closes stdin.</summary>
    private async Task FinishOutputAsync()
    {
        try
        {
            await Task.WhenAll(_pumps).WaitAsync(DrainLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("wharf-shim: output still open after init exited; not waiting for it");
        }
        await CompleteOutputAsync().ConfigureAwait(false);
    }

    /// <summary>Completes the hub, bounded (it flushes partial lines to a writer that may hang), and closes stdin.</summary>
    private async Task CompleteOutputAsync()
    {
        CloseStdin();
        try
        {
            await Task.Run(_hub.Complete).WaitAsync(CompleteLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("wharf-shim: the log writer is stuck; recording the exit without it");
        }
    }

    /// <summary>Ends a shim whose container was never started: nothing of runc's exists, and the rootfs is the
    /// daemon's to unmount, so only the streams close.</summary>
    public ShimResponse Abandon()
    {
        lock (_gate)
        {
            if (_status != ContainerStatus.Created)
                return Fail($"container is {_status.ToString().ToLowerInvariant()}, cannot abandon it");
            _status = ContainerStatus.Failed;
        }
        _hub.DiscardHeld();
        _hub.Complete();
        CloseStdin();
        _finished.TrySetResult();
        return new ShimResponse { Ok = true };
    }

    private async Task<ShimResponse> FailStartAsync(string error)
    {
        _hub.DiscardHeld();
        await CompleteOutputAsync().ConfigureAwait(false);
        await CleanUpAsync().ConfigureAwait(false);
        lock (_gate)
            _status = ContainerStatus.Failed;
        _finished.TrySetResult();
        return Fail(error);
    }

    /// <summary>runc's state and the rootfs mount must not outlive the container; the daemon may be down.</summary>
    private async Task CleanUpAsync()
    {
        try
        {
            await _reaper.RunAsync(RuncRequest("delete", "--force", _options.Id)).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"wharf-shim: runc delete: {e.Message}");
        }
        if (_options.RootfsMount is { } rootfs)
        {
            try
            {
                new LinuxMountOps().Unmount(rootfs);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"wharf-shim: unmount {rootfs}: {e.Message}");
            }
        }
    }

    private SpawnRequest RuncRequest(params string[] args) => new()
    {
        Path = _options.Runtime,
        Args = ["--root", _options.RuntimeRoot, .. args],
    };

    private void WriteExitRecord(ShimExitRecord record)
    {
        var path = ShimPaths.ExitFile(_options.StateDir);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record, CoreJsonContext.Default.ShimExitRecord));
        File.Move(temp, path, overwrite: true);
    }

    private static string StatusWord(ContainerStatus status) => status switch
    {
        ContainerStatus.Created or ContainerStatus.Starting => "created",
        ContainerStatus.Running => "running",
        _ => "exited",
    };

    private static ShimResponse Fail(string error) => new() { Ok = false, Error = error };
}
