using Wharf.Core.Shim;

namespace Wharf.TestKit;

/// <summary>An <see cref="IShimClient"/> without processes: it records every call, keeps one pretend shim per state
/// directory (named in tests by the container id it was launched for; exit times come from <paramref name="time"/>), and lets a test end a container with an
/// exit code, kill the shim outright, drop its exit file, or make the next N calls of an operation fail.</summary>
public sealed class FakeShimClient(TimeProvider? time = null) : IShimClient
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeShim> _byStateDir = new(StringComparer.Ordinal);
    private readonly List<ShimCall> _calls = [];
    private readonly Dictionary<string, Queue<Failure>> _failures = new(StringComparer.Ordinal);
    private int _nextPid = 4000;

    /// <summary>When true (the default) a signal to a container's init ends it with 128 + signal, as a process
    /// without handlers does. When false, signals are recorded and the container keeps running.</summary>
    public bool SignalsExit { get; set; } = true;

    public IReadOnlyList<ShimCall> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    /// <summary>The operations called (ShimOps names plus "launch" and "exitfile"), in order, for one container.</summary>
    public IReadOnlyList<string> OpsFor(string containerId)
    {
        lock (_lock) return [.. _calls.Where(c => c.ContainerId == containerId).Select(c => c.Op)];
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="op"/> answer Ok=false with
    /// <paramref name="error"/> (what runc's failure looks like through the shim).</summary>
    public void FailNext(string op, int count, string error)
    {
        lock (_lock) QueueOf(op).Enqueue(new Failure(count, error, null));
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="op"/> throw <paramref name="exception"/>
    /// (an unreachable shim, a launch that times out).</summary>
    public void ThrowNext(string op, int count, Exception exception)
    {
        lock (_lock) QueueOf(op).Enqueue(new Failure(count, null, exception));
    }

    /// <summary>How many times the container's shim was launched.</summary>
    public int Launches(string containerId)
    {
        lock (_lock) return _calls.Count(c => c.ContainerId == containerId && c.Op == "launch");
    }

    public bool IsRunning(string containerId)
    {
        lock (_lock) return ShimOf(containerId) is { Started: true, Exit.Task.IsCompleted: false };
    }

    /// <summary>The container's process ends with <paramref name="exitCode"/>: the shim writes its exit file
    /// (unless <paramref name="writeExitFile"/> is false), answers waiters and goes away.</summary>
    public void Exit(string containerId, int exitCode, bool oomKilled = false, bool writeExitFile = true)
    {
        FakeShim shim;
        lock (_lock) shim = ShimOf(containerId) ?? throw new InvalidOperationException($"no shim was launched for {containerId}");
        ExitShim(shim, exitCode, oomKilled, writeExitFile);
    }

    /// <summary>The shim is killed: waiters get a broken connection, nothing answers any more, and the exit file
    /// is there only if <paramref name="exitCode"/> is given (it died after writing it).</summary>
    public void Die(string containerId, int? exitCode = null)
    {
        FakeShim shim;
        lock (_lock)
        {
            shim = ShimOf(containerId) ?? throw new InvalidOperationException($"no shim was launched for {containerId}");
            shim.Alive = false;
            shim.ExitFile = exitCode is { } code ? new ShimExitRecord { ExitCode = code, FinishedAt = _time.GetUtcNow(), Pid = shim.Pid } : null;
        }
        shim.Exit.TrySetException(new IOException("shim closed the connection before answering"));
    }

    /// <summary>Pretends a shim survives from an earlier daemon (for restore tests): alive and running.</summary>
    public void Adopt(string containerId, string stateDir)
    {
        lock (_lock)
        {
            _byStateDir[stateDir] = new FakeShim(containerId, stateDir) { Alive = true, Started = true, Pid = ++_nextPid, ShimPid = ++_nextPid };
        }
    }

    /// <summary>Pretends a shim survives from an earlier daemon that launched it and died before asking it to start
    /// (for restore tests): alive, never started, waiting for a start or an abandon.</summary>
    public void LeaveUnstartedShim(string containerId, string stateDir)
    {
        lock (_lock)
        {
            _byStateDir[stateDir] = new FakeShim(containerId, stateDir) { Alive = true, ShimPid = ++_nextPid };
        }
    }

    /// <summary>The shims still alive, by the container id they were launched for.</summary>
    public IReadOnlyList<string> LiveShims()
    {
        lock (_lock) return [.. _byStateDir.Values.Where(s => s.Alive).Select(s => s.ContainerId)];
    }

    /// <summary>Leaves an exit file in a state directory without a live shim (for restore tests).</summary>
    public void LeaveExitFile(string containerId, string stateDir, int exitCode)
    {
        lock (_lock)
        {
            _byStateDir[stateDir] = new FakeShim(containerId, stateDir)
            {
                Alive = false,
                ExitFile = new ShimExitRecord { ExitCode = exitCode, FinishedAt = _time.GetUtcNow() },
            };
        }
    }

    public Task LaunchAsync(ShimOptions shim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shim);
        lock (_lock)
        {
            _calls.Add(new ShimCall("launch", shim.Id, null, null));
            if (TakeFailure("launch") is { } failure) throw failure.Exception ?? new IOException(failure.Error);
            // As the real launcher: a shim still serving the directory is never cut off by a second one.
            if (_byStateDir.TryGetValue(shim.StateDir, out var previous) && previous.Alive) throw new IOException($"a wharf-shim still serves {shim.StateDir}");
            _byStateDir[shim.StateDir] = new FakeShim(shim.Id, shim.StateDir) { Alive = true, ShimPid = ++_nextPid };
        }
        return Task.CompletedTask;
    }

    public bool IsAlive(string stateDir)
    {
        lock (_lock) return _byStateDir.TryGetValue(stateDir, out var shim) && shim.Alive;
    }

    /// <summary>When set, every start waits for it before runc "runs" (a start in progress that others race).</summary>
    public Task? HoldStart { get; set; }

    public async Task<ShimResponse> StartAsync(string stateDir, CancellationToken ct)
    {
        if (HoldStart is { } hold) await hold.ConfigureAwait(false);
        return await StartNowAsync(stateDir).ConfigureAwait(false);
    }

    private Task<ShimResponse> StartNowAsync(string stateDir)
    {
        lock (_lock)
        {
            var shim = Reachable(stateDir, ShimOps.Start, null, null);
            if (TakeFailure(ShimOps.Start) is { } failure)
            {
                if (failure.Exception is { } e) throw e;
                shim.Alive = false; // after a failed start the shim cleans up and exits
                return Task.FromResult(new ShimResponse { Ok = false, Error = failure.Error });
            }
            shim.Started = true;
            shim.Pid = ++_nextPid;
            return Task.FromResult(new ShimResponse { Ok = true, Pid = shim.Pid });
        }
    }

    public Task AbandonAsync(string stateDir)
    {
        lock (_lock)
        {
            if (_byStateDir.TryGetValue(stateDir, out var shim))
            {
                _calls.Add(new ShimCall(ShimOps.Abandon, shim.ContainerId, null, null));
                shim.Alive = false;
            }
        }
        return Task.CompletedTask;
    }

    public Task<ShimResponse> StateAsync(string stateDir, CancellationToken ct)
    {
        lock (_lock)
        {
            var shim = Reachable(stateDir, ShimOps.State, null, null);
            if (Answered(ShimOps.State) is { } failed) return failed;
            var status = !shim.Started ? "created" : shim.Exit.Task.IsCompleted ? "exited" : "running";
            return Task.FromResult(new ShimResponse { Ok = true, Status = status, Pid = shim.Pid });
        }
    }

    public IReadOnlyList<ShimProcess> ListShims(string containersDir)
    {
        lock (_lock)
            return [.. _byStateDir.Values.Where(s => s.Alive && s.StateDir.StartsWith(containersDir, StringComparison.Ordinal)).Select(s => new ShimProcess(s.ShimPid, s.StateDir))];
    }

    public void KillShim(int pid)
    {
        FakeShim? shim;
        lock (_lock)
        {
            shim = _byStateDir.Values.FirstOrDefault(s => s.ShimPid == pid && s.Alive);
            if (shim is null) return;
            _calls.Add(new ShimCall("killshim", shim.ContainerId, 9, null));
            shim.Alive = false;
        }
        shim.Exit.TrySetException(new IOException("shim closed the connection before answering"));
    }

    public Task<ShimResponse> KillAsync(string stateDir, int signal, string? execId, CancellationToken ct)
    {
        FakeShim shim;
        lock (_lock)
        {
            shim = Reachable(stateDir, ShimOps.Kill, signal, execId);
            if (Answered(ShimOps.Kill) is { } failed) return failed;
            if (!shim.Started || shim.Exit.Task.IsCompleted) return Task.FromResult(new ShimResponse { Ok = false, Error = "container not running" });
        }
        if (execId is null && SignalsExit) ExitShim(shim, 128 + signal, oomKilled: false, writeExitFile: true);
        return Task.FromResult(new ShimResponse { Ok = true });
    }

    public async Task<ShimResponse> WaitAsync(string stateDir, string? execId, CancellationToken ct)
    {
        FakeShim shim;
        lock (_lock)
        {
            shim = Reachable(stateDir, ShimOps.Wait, null, execId);
            if (TakeFailure(ShimOps.Wait) is { } failure)
                return failure.Exception is { } e ? throw e : new ShimResponse { Ok = false, Error = failure.Error };
        }
        if (execId is not null) return new ShimResponse { Ok = true, ExitCode = 0 };
        return await shim.Exit.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public Task<ShimResponse> ResizeAsync(string stateDir, string? execId, int height, int width, CancellationToken ct)
    {
        lock (_lock)
        {
            Reachable(stateDir, ShimOps.Resize, null, execId);
            return Answered(ShimOps.Resize) ?? Task.FromResult(new ShimResponse { Ok = true });
        }
    }

    public Task<ShimSession> OpenAsync(string stateDir, ShimRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            Reachable(stateDir, request.Op, null, request.ExecId);
            if (TakeFailure(request.Op) is { } failure)
                return failure.Exception is { } e ? throw e : Task.FromResult(new ShimSession(new ShimResponse { Ok = false, Error = failure.Error }, null));
            // No process behind it: the stream has nothing to say and swallows what is written.
            return Task.FromResult(new ShimSession(new ShimResponse { Ok = true, Pid = ++_nextPid }, new MemoryStream()));
        }
    }

    public ShimExitRecord? ReadExitFile(string stateDir)
    {
        lock (_lock)
        {
            if (!_byStateDir.TryGetValue(stateDir, out var shim)) return null;
            _calls.Add(new ShimCall("exitfile", shim.ContainerId, null, null));
            return shim.ExitFile;
        }
    }

    private void ExitShim(FakeShim shim, int exitCode, bool oomKilled, bool writeExitFile)
    {
        var finishedAt = _time.GetUtcNow();
        lock (_lock)
        {
            if (shim.Exit.Task.IsCompleted) return;
            shim.Alive = false;
            shim.ExitFile = writeExitFile ? new ShimExitRecord { ExitCode = exitCode, FinishedAt = finishedAt, Pid = shim.Pid, OomKilled = oomKilled } : null;
        }
        shim.Exit.TrySetResult(new ShimResponse { Ok = true, ExitCode = exitCode, FinishedAt = finishedAt, OomKilled = oomKilled });
    }

    /// <summary>Records the call and returns the shim, or throws as a socket without a listener does.</summary>
    private FakeShim Reachable(string stateDir, string op, int? signal, string? execId)
    {
        _byStateDir.TryGetValue(stateDir, out var shim);
        _calls.Add(new ShimCall(op, shim?.ContainerId ?? stateDir, signal, execId));
        if (shim is not { Alive: true }) throw new IOException($"no shim listens for {stateDir} (connection refused)");
        return shim;
    }

    private Task<ShimResponse>? Answered(string op) => TakeFailure(op) is { } failure
        ? failure.Exception is { } e ? Task.FromException<ShimResponse>(e) : Task.FromResult(new ShimResponse { Ok = false, Error = failure.Error })
        : null;

    private Failure? TakeFailure(string op)
    {
        if (!_failures.TryGetValue(op, out var queue) || queue.Count == 0) return null;
        var failure = queue.Peek();
        failure.Remaining--;
        if (failure.Remaining <= 0) queue.Dequeue();
        return failure;
    }

    private Queue<Failure> QueueOf(string op)
    {
        if (!_failures.TryGetValue(op, out var queue)) _failures[op] = queue = new Queue<Failure>();
        return queue;
    }

    private FakeShim? ShimOf(string containerId) =>
        _byStateDir.Values.LastOrDefault(s => s.ContainerId == containerId);

    private sealed class Failure(int count, string? error, Exception? exception)
    {
        public int Remaining { get; set; } = count;
        public string? Error { get; } = error;
        public Exception? Exception { get; } = exception;
    }

    private sealed class FakeShim(string containerId, string stateDir)
    {
        public string ContainerId { get; } = containerId;
        public string StateDir { get; } = stateDir;
        public bool Alive { get; set; }
        public bool Started { get; set; }
        public int Pid { get; set; }
        public int ShimPid { get; set; }
        public ShimExitRecord? ExitFile { get; set; }
        public TaskCompletionSource<ShimResponse> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
