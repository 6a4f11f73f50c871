using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Wharf.Core;
using Wharf.Core.Shim;
using Wharf.Linux;
using Wharf.Linux.Terminals;

namespace Wharf.Shim;

/// <summary>One exec: `runc exec -d` with a process.json (one runc invocation on the path), its stdio as pipes or
/// a pty, its output streamed to the requesting connection (backpressure instead of dropping: an exec's
/// output is the answer), its exit learned from the reaper (we are the subreaper its orphan reparents to).</summary>
internal sealed class ExecProcess
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private readonly string _id;
    private readonly ShimOptions _options;
    private readonly IChildProcesses _reaper;
    private readonly TimeProvider _time;
    private readonly FastExec? _fast;
    private readonly int _initPid;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sendGate = new();
    private readonly Lock _stdinGate = new();
    private readonly List<(OutputStream Stream, byte[] Data)> _held = [];
    private Socket? _client;
    private bool _framed;
    private bool _wantStdout;
    private bool _wantStderr;
    private FileStream? _stdin;
    private SafeFileHandle? _master;
    private int _closed;
    private bool _live;

    public ExecProcess(string id, ShimOptions options, IChildProcesses reaper, TimeProvider time, FastExec? fast = null, int initPid = 0)
    {
        _fast = fast;
        _initPid = initPid;
        _id = id;
        _options = options;
        _reaper = reaper;
        _time = time;
    }

    public int Pid { get; private set; }

    public Task<int> Exited => _exited.Task;

    public ShimResponse Kill(int signal)
    {
        if (Pid <= 0 || _exited.Task.IsCompleted)
            return new ShimResponse { Ok = false, Error = "exec is not running" };
        try
        {
            // Never kill(2) a pid the reaper has taken: it may belong to another process by now.
            return _reaper.TrySignal(Pid, signal <= 0 ? 9 : signal)
                ? new ShimResponse { Ok = true }
                : new ShimResponse { Ok = false, Error = "exec is not running" };
        }
        catch (IOException e)
        {
            return new ShimResponse { Ok = false, Error = e.Message };
        }
    }

    public ShimResponse Resize(int height, int width)
    {
        var master = _master;
        if (master is null || _exited.Task.IsCompleted)
            return new ShimResponse { Ok = false, Error = master is null ? "the exec has no tty" : "exec is not running" };
        try
        {
            PtySize.Set(master, height, width);
            return new ShimResponse { Ok = true };
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return new ShimResponse { Ok = false, Error = e.Message };
        }
    }

    public ShimResponse State() => _exited.Task.IsCompletedSuccessfully
        ? new ShimResponse { Ok = true, Status = "exited", Pid = Pid, ExitCode = _exited.Task.Result }
        : new ShimResponse { Ok = true, Status = Pid > 0 ? "running" : "created", Pid = Pid };

    public async Task RunAsync(Socket client, ShimRequest request, CancellationToken stop)
    {
        var tty = request.Tty;
        var prefix = Path.Combine(_options.StateDir, "exec-" + _id);
        var processFile = prefix + ".json";
        var runcLog = prefix + ".log";
        var pidFile = prefix + ".pid";
        var pumps = new List<Task>();
        Task<int>? exitWait = null;
        _client = client;
        _framed = !tty;
        _wantStdout = request.Stdout;
        _wantStderr = request.Stderr;
        try
        {
            var process = request.Process! with { Terminal = tty };
            var whyNotFast = _fast is null ? "no fast path" : _fast.WhyNot(request, _initPid);
            if (whyNotFast is null)
            {
                await RunFastAsync(client, request, process, stop).ConfigureAwait(false);
                return;
            }
            File.WriteAllBytes(processFile, JsonSerializer.SerializeToUtf8Bytes(process, CoreJsonContext.Default.SpecProcess));

            SafeFileHandle? stdinRead = null, stdoutWrite = null, stderrWrite = null;
            using var console = tty ? ConsoleSocket.Listen() : null;
            if (!tty)
            {
                (var stdoutRead, stdoutWrite) = UnixPipe.Create();
                (var stderrRead, stderrWrite) = UnixPipe.Create();
                pumps.Add(TerminalPump.Start(stdoutRead, chunk => Send(OutputStream.Stdout, chunk), ownsHandle: true));
                pumps.Add(TerminalPump.Start(stderrRead, chunk => Send(OutputStream.Stderr, chunk), ownsHandle: true));
                if (request.Stdin)
                {
                    (stdinRead, var stdinWrite) = UnixPipe.Create();
                    _stdin = new FileStream(stdinWrite, FileAccess.Write, bufferSize: 0);
                }
            }
            string[] consoleArgs = console is null ? [] : ["--console-socket", console.Path];
            var runcPid = _reaper.Spawn(new SpawnRequest
            {
                Path = _options.Runtime,
                Args =
                [
                    "--root", _options.RuntimeRoot, "--log", runcLog, "--log-format", "json",
                    "exec", "-d", .. consoleArgs, "--pid-file", pidFile, "--process", processFile, _options.Id,
                ],
                Stdin = stdinRead,
                Stdout = stdoutWrite,
                Stderr = stderrWrite,
            });
            stdinRead?.Dispose();
            stdoutWrite?.Dispose();
            stderrWrite?.Dispose();
            var receiving = console is null ? Task.FromResult<SafeFileHandle?>(null) : ReceiveAsync(console);
            var runcExit = ProcessControl.ExitCodeFromWaitStatus(await _reaper.WaitAsync(runcPid).ConfigureAwait(false));
            if (runcExit != 0)
            {
                console?.Dispose();
                await FailAsync(client, pumps, RuncErrorLog.LastError(runcLog) ?? $"runc exec exited with status {runcExit}").ConfigureAwait(false);
                return;
            }
            var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            // Waited for from the moment the pid is known: only a pid with a pending waiter may be signalled.
            exitWait = _reaper.WaitAsync(pid);
            Pid = pid;
            if (console is not null)
            {
                _master = await receiving.ConfigureAwait(false) ?? throw new IOException("runc did not send the console");
                pumps.Add(TerminalPump.Start(_master, chunk => Send(OutputStream.Stdout, chunk)));
                if (request.Stdin)
                    _stdin = new FileStream(new SafeFileHandle(_master.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, bufferSize: 0);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            await FailAsync(client, pumps, e.Message).ConfigureAwait(false);
            return;
        }

        await RunToExitAsync(client, request.Stdin, tty, exitWait!, pumps, stop).ConfigureAwait(false);
        foreach (var file in new[] { processFile, runcLog, pidFile })
            File.Delete(file);
    }

    /// <summary>The exec without runc (<see cref="FastExec"/>): same pipes, same answers, same error wording.</summary>
    private async Task RunFastAsync(Socket client, ShimRequest request, Core.Oci.SpecProcess process, CancellationToken stop)
    {
        var pumps = new List<Task>();
        Task<int> exitWait;
        try
        {
            SafeFileHandle? stdinRead = null;
            var (stdoutRead, stdoutWrite) = UnixPipe.Create();
            var (stderrRead, stderrWrite) = UnixPipe.Create();
            pumps.Add(TerminalPump.Start(stdoutRead, chunk => Send(OutputStream.Stdout, chunk), ownsHandle: true));
            pumps.Add(TerminalPump.Start(stderrRead, chunk => Send(OutputStream.Stderr, chunk), ownsHandle: true));
            if (request.Stdin)
            {
                (stdinRead, var stdinWrite) = UnixPipe.Create();
                _stdin = new FileStream(stdinWrite, FileAccess.Write, bufferSize: 0);
            }
            int pid;
            string? error;
            using (stdinRead)
            using (stdoutWrite)
            using (stderrWrite)
                (pid, exitWait, error) = await _fast!.StartAsync(process, _initPid, stdinRead, stdoutWrite, stderrWrite).ConfigureAwait(false);
            if (error is not null)
            {
                await exitWait.ConfigureAwait(false);
                // runc's wording for a process that could not be started (the docker CLI and StartErrors match on it).
                await FailAsync(client, pumps, "exec failed: unable to start container process: " + error).ConfigureAwait(false);
                return;
            }
            Pid = pid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await FailAsync(client, pumps, e.Message).ConfigureAwait(false);
            return;
        }
        await RunToExitAsync(client, request.Stdin, tty: false, exitWait, pumps, stop).ConfigureAwait(false);
    }

    /// <summary>The exec could not start: the client gets the error (answered first: releasing shuts our side of the
    /// connection down), the output drains and the exec counts as ended.</summary>
    private async Task FailAsync(Socket client, List<Task> pumps, string error)
    {
        await ShimHost.SendAsync(client, new ShimResponse { Ok = false, Error = error }).ConfigureAwait(false);
        await ReleaseAsync(pumps).ConfigureAwait(false);
        _exited.TrySetResult(-1);
    }

    /// <summary>The exec runs: the client is told, output and stdin flow, and its exit is recorded once its output drained.</summary>
    private async Task RunToExitAsync(Socket client, bool stdin, bool tty, Task<int> exitWait, List<Task> pumps, CancellationToken stop)
    {
        await ShimHost.SendAsync(client, new ShimResponse { Ok = true, Pid = Pid, Status = "running" }).ConfigureAwait(false);
        GoLive();
        if (stdin)
            _ = PumpStdinAsync(client, tty, stop);
        var exitCode = ProcessControl.ExitCodeFromWaitStatus(await exitWait.ConfigureAwait(false));
        await ReleaseAsync(pumps).ConfigureAwait(false);
        _exited.TrySetResult(exitCode);
    }

    /// <summary>Drains output (bounded: a background child may hold the pipes), then ends the stream.</summary>
    private async Task ReleaseAsync(List<Task> pumps)
    {
        try
        {
            await Task.WhenAll(pumps).WaitAsync(DrainLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"wharf-shim: exec {_id}: output still open after it exited; not waiting for it");
        }
        CloseStdin();
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                _client?.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
        lock (_sendGate)
            _client = null;
        var master = _master;
        _master = null;
        // The pumps are done or abandoned; a stuck reader on the master ends when we close it.
        master?.Dispose();
    }

    /// <summary>The answer line is out: release output held until now, in order, and send directly from now on.</summary>
    private void GoLive()
    {
        lock (_sendGate)
        {
            _live = true;
            foreach (var (stream, data) in _held)
                SendLocked(stream, data);
            _held.Clear();
        }
    }

    private void Send(OutputStream stream, ReadOnlySpan<byte> chunk)
    {
        if (stream == OutputStream.Stdout ? !_wantStdout : !_wantStderr)
            return;
        lock (_sendGate)
        {
            // Output may arrive before the answer line has been written: hold it, or it would corrupt the answer.
            if (!_live)
                _held.Add((stream, chunk.ToArray()));
            else
                SendLocked(stream, chunk);
        }
    }

    private void SendLocked(OutputStream stream, ReadOnlySpan<byte> chunk)
    {
        var client = _client;
        if (client is null)
            return;
        try
        {
            if (_framed)
            {
                Span<byte> header = stackalloc byte[8];
                header.Clear();
                header[0] = (byte)stream;
                BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)chunk.Length);
                client.Send(header);
            }
            client.Send(chunk);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _client = null; // the client went away: keep draining, stop sending
        }
    }

    private async Task PumpStdinAsync(Socket client, bool tty, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false)) > 0)
            {
                lock (_stdinGate)
                    _stdin?.Write(buffer, 0, n);
            }
            if (!tty)
                CloseStdin(); // the client's half-close is the process's EOF
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void CloseStdin()
    {
        lock (_stdinGate)
        {
            _stdin?.Dispose();
            _stdin = null;
        }
    }

    private static async Task<SafeFileHandle?> ReceiveAsync(ConsoleSocket console)
    {
        try
        {
            return await console.ReceiveMasterAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return null;
        }
    }
}
