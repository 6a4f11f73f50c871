using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Wharf.Linux;

namespace Wharf.Shim.Tests;

/// <summary>Stands in for the reaper and runc: "runc run/exec" writes the pid file (and, if told, output on the
/// stdio it was handed) and exits with the status the test chose; other runc calls (delete, kill) exit 0. Container
/// and exec pids exit when the test calls <see cref="Exit"/>, which is the reap. Signals are recorded, and only
/// accepted for a pid that is waited for and not reaped, as the real reaper's contract says.</summary>
internal sealed class FakeChildProcesses : IChildProcesses
{
    /// <summary>Far above any real pid_max, so no test ever touches a real process.</summary>
    private const int FirstFakePid = 40_000_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, TaskCompletionSource<int>> _exits = [];
    private int _nextPid = FirstFakePid;

    public List<string[]> Runs { get; } = [];
    public List<(int Pid, int Signal)> Signals { get; } = [];

    /// <summary>The pid "runc run/exec" reports for what it started.</summary>
    public int ProcessPid { get; private set; }

    /// <summary>Raw wait status of "runc run/exec" (0 = started; 1 &lt;&lt; 8 = exit status 1).</summary>
    public int RuncStatus { get; set; }

    /// <summary>runc's --log json lines when it fails.</summary>
    public string? RuncLog { get; set; }

    /// <summary>Bytes the started process writes on its stdout / stderr before runc returns.</summary>
    public byte[] Stdout { get; set; } = [];
    public byte[] Stderr { get; set; } = [];

    public int Spawn(SpawnRequest request)
    {
        var args = request.Args.ToArray();
        int pid;
        lock (_gate)
        {
            Runs.Add(args);
            pid = _nextPid++;
        }
        if (args.Contains("run") || args.Contains("exec"))
        {
            WriteTo(request.Stdout, Stdout);
            WriteTo(request.Stderr, Stderr);
            if (RuncStatus == 0)
            {
                lock (_gate)
                    ProcessPid = _nextPid++;
                File.WriteAllText(ArgAfter(args, "--pid-file"), ProcessPid.ToString(CultureInfo.InvariantCulture));
            }
            else if (RuncLog is not null)
            {
                File.WriteAllText(ArgAfter(args, "--log"), RuncLog);
            }
            Exit(pid, RuncStatus);
        }
        else
        {
            Exit(pid, 0);
        }
        return pid;
    }

    public Task<int> WaitAsync(int pid) => Entry(pid).Task;

    public async Task<int> RunAsync(SpawnRequest request) =>
        ProcessControl.ExitCodeFromWaitStatus(await WaitAsync(Spawn(request)).ConfigureAwait(false));

    public bool TrySignal(int pid, int signal)
    {
        lock (_gate)
        {
            if (!_exits.TryGetValue(pid, out var exit) || exit.Task.IsCompleted)
                return false;
            Signals.Add((pid, signal));
            return true;
        }
    }

    /// <summary>The process exited and was reaped, with this raw wait status.</summary>
    public void Exit(int pid, int waitStatus) => Entry(pid).TrySetResult(waitStatus);

    public bool Ran(string command)
    {
        lock (_gate)
            return Runs.Any(r => r.Contains(command));
    }

    private TaskCompletionSource<int> Entry(int pid)
    {
        lock (_gate)
        {
            if (!_exits.TryGetValue(pid, out var tcs))
            {
                tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _exits[pid] = tcs;
            }
            return tcs;
        }
    }

    private static string ArgAfter(string[] args, string flag) => args[Array.IndexOf(args, flag) + 1];

    private static void WriteTo(System.Runtime.InteropServices.SafeHandle? handle, byte[] data)
    {
        if (handle is null || data.Length == 0)
            return;
        using var stream = new FileStream(new SafeFileHandle(handle.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, bufferSize: 0);
        stream.Write(data);
    }
}
