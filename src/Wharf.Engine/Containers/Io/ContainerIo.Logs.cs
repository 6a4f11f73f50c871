using System.Runtime.CompilerServices;
using Wharf.Core.Errors;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Io;

public sealed partial class ContainerIo
{
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Where the container's log lines are written for its driver (json-file: &lt;id&gt;-json.log; local:
    /// local-logs/container.log); null for "none".</summary>
    public string? LogFileOf(ContainerSnapshot record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return LogFileOf(record.Id, record.Host.LogDriver);
    }

    /// <summary>The same for the live record (lifecycle code, with the container's gate held).</summary>
    internal string? LogFileOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return LogFileOf(record.Id, record.Host.LogDriver);
    }

    private string? LogFileOf(string containerId, string logDriver) => logDriver switch
    {
        LogDriverSettings.None => null,
        LogDriverSettings.Local => Path.Combine(PathsOf(containerId).DataDir, "local-logs", "container.log"),
        _ => PathsOf(containerId).LogFile,
    };

    /// <summary>Throws Docker's NotImplemented error when the container's driver keeps nothing to read. Call before
    /// answering a logs request, so the error is an HTTP status, not a broken stream.</summary>
    public void EnsureLogsReadable(string nameOrId)
    {
        if (LogFileOf(Get(nameOrId)) is null)
            throw new EngineException(ErrorKind.NotImplemented, "configured logging driver does not support reading");
    }

    /// <summary>Reads the container's log (written by its shim), rotated files first, with Docker's filters. With
    /// Follow it keeps reading, through rotations, until the container stops and the file is drained, or the
    /// caller cancels.</summary>
    public async IAsyncEnumerable<JsonLogEntry> ReadLogsAsync(string nameOrId, LogQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var snapshot = entry.Snapshot;
        var path = snapshot is null ? null : LogFileOf(snapshot);
        if (snapshot is null || path is null || !File.Exists(path)) yield break;
        // Open the live file before listing the rotated ones: a rotation in between then repeats lines rather
        // than losing the file that was live a moment ago.
        var file = OpenShared(path);
        try
        {
            var driver = snapshot.Host.LogDriver;
            var backlog = new LogBacklog(path, driver, file, query.Tail, line => Matches(line, query));
            foreach (var line in backlog.Read()) yield return line;
            var reader = backlog.LiveReader;
            if (!query.Follow) yield break;

            while (!ct.IsCancellationRequested)
            {
                var stopped = entry.Snapshot?.State.Running != true;
                foreach (var line in reader.ReadAvailable())
                {
                    if (query.Until is { } until && line.Time > until) yield break;
                    if (Matches(line, query)) yield return line;
                }
                if (Rotated(path, file))
                {
                    // The shim renamed our file away and started a new one: our handle is drained, go on there.
                    var next = OpenSharedOrNull(path);
                    if (next is not null)
                    {
                        // Lines the shim wrote to the old file after our last read but before it rotated.
                        foreach (var line in reader.ReadAvailable())
                        {
                            if (query.Until is { } until && line.Time > until) yield break;
                            if (Matches(line, query)) yield return line;
                        }
                        await file.DisposeAsync().ConfigureAwait(false);
                        file = next;
                        reader = LogEntryReaders.For(driver, file);
                        continue;
                    }
                }
                if (stopped || (query.Until is { } u && _time.GetUtcNow() > u)) yield break;
                try
                {
                    await Task.WhenAny(entry.NextExit.Task, Task.Delay(FollowPollInterval, ct)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static FileStream OpenShared(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static FileStream? OpenSharedOrNull(string path)
    {
        try
        {
            return OpenShared(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when the path no longer names the file we hold (the shim renamed or deleted it and started a
    /// new one). Without inode numbers, sizes tell: the file we hold only grows while it is live, so the path's
    /// size, sampled between two samples of ours, lies between them exactly when it is the same file.</summary>
    private static bool Rotated(string path, FileStream held)
    {
        var before = held.Length;
        var current = new FileInfo(path);
        if (!current.Exists) return false; // between rename and re-create: look again next time
        var after = held.Length;
        return current.Length < before || current.Length > after;
    }

    private static bool Matches(JsonLogEntry line, LogQuery query)
    {
        if (line.Stream == "stdout" && !query.Stdout) return false;
        if (line.Stream == "stderr" && !query.Stderr) return false;
        if (query.Since is { } since && line.Time < since) return false;
        if (query.Until is { } until && line.Time > until) return false;
        return true;
    }
}
