using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Signals;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int DefaultStopTimeoutSeconds = 10;
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(30);

    /// <summary>docker stop: the stop signal (given, the container's, the image's, else SIGTERM), then SIGKILL once
    /// the timeout has passed. Not running: NotModified (the API answers 304).</summary>
    public async Task StopAsync(string nameOrId, int? timeoutSeconds, string? signal, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var record = entry.Record;
        var stopSignal = ParseSignal(signal ?? record.Config.StopSignal, SigTerm);
        if (!record.State.Running) throw EngineException.NotModified();
        await NoteUserKillAsync(entry, SigKill, ct).ConfigureAwait(false);
        if (await StopIfRestartingAsync(entry).ConfigureAwait(false)) { Publish(record, "stop"); return; }
        await StopRunningAsync(entry, stopSignal, timeoutSeconds ?? record.Config.StopTimeout ?? DefaultStopTimeoutSeconds, ct).ConfigureAwait(false);
        Publish(record, "stop");
    }

    private async Task StopRunningAsync(ContainerEntry entry, int stopSignal, int timeoutSeconds, CancellationToken ct)
    {
        var exited = entry.NextExit.Task;
        if (!entry.Record.State.Running) return;
        await SignalAsync(entry, stopSignal, ct).ConfigureAwait(false);
        // A negative timeout waits forever, as in Docker.
        var timeout = timeoutSeconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeoutSeconds);
        if (await Completes(exited, timeout, ct).ConfigureAwait(false)) return;
        await SignalAsync(entry, SigKill, ct).ConfigureAwait(false);
        if (!await Completes(exited, KillGrace, ct).ConfigureAwait(false))
            throw new EngineException(ErrorKind.Unknown, $"container {entry.Record.ShortId} did not exit within {KillGrace.TotalSeconds} s of SIGKILL");
    }

    private static async Task<bool> Completes(Task task, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>docker kill: one signal (default SIGKILL). Not running: 409 in Docker's words.</summary>
    public async Task KillAsync(string nameOrId, string? signal, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var number = ParseSignal(signal, SigKill);
        if (!entry.Record.State.Running)
            throw EngineException.Conflict($"Cannot kill container: {nameOrId}: Container {entry.Record.Id} is not running");
        await NoteUserKillAsync(entry, number, ct).ConfigureAwait(false);
        if (await StopIfRestartingAsync(entry).ConfigureAwait(false)) return;
        await SignalAsync(entry, number, ct).ConfigureAwait(false);
    }

    /// <summary>docker restart: stop (if running) then start.</summary>
    public async Task RestartAsync(string nameOrId, int? timeoutSeconds, string? signal, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var record = entry.Record;
        await NoteUserKillAsync(entry, SigKill, ct).ConfigureAwait(false);
        await StopIfRestartingAsync(entry).ConfigureAwait(false);
        if (record.State.Running)
        {
            var stopSignal = ParseSignal(signal ?? record.Config.StopSignal, SigTerm);
            await StopRunningAsync(entry, stopSignal, timeoutSeconds ?? record.Config.StopTimeout ?? DefaultStopTimeoutSeconds, ct).ConfigureAwait(false);
            Publish(record, "stop");
        }
        await StartAsync(record.Id, ct).ConfigureAwait(false);
        Publish(record, "restart");
    }

    private async Task SignalAsync(ContainerEntry entry, int signal, CancellationToken ct)
    {
        await ThawBeforeSignalAsync(entry, ct).ConfigureAwait(false);
        Publish(entry.Record, "kill", ("signal", signal.ToString(CultureInfo.InvariantCulture)));
        try
        {
            var answer = await _shims.KillAsync(PathsOf(entry.Record).StateDir, signal, null, ct).ConfigureAwait(false);
            // "not running" means it exited between our check and the signal: the monitor records that exit.
            if (!answer.Ok && answer.Error?.Contains("not running", StringComparison.Ordinal) != true)
                throw new EngineException(ErrorKind.Unknown, $"Cannot kill container {entry.Record.ShortId}: {answer.Error}");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The shim is gone between our check and the signal: the container has exited; the monitor records it.
            ContainerLog.SignalShimGone(_log, e, entry.Record.Id, signal);
        }
    }

    /// <summary>Parses Docker signal text ("TERM", "SIGKILL", "9"); empty means <paramref name="fallback"/>.</summary>
    public static int ParseSignal(string? signal, int fallback)
    {
        if (string.IsNullOrEmpty(signal)) return fallback;
        return SignalNames.TryParse(signal, out var number) ? number : throw EngineException.Invalid($"Invalid signal: {signal}");
    }
}
