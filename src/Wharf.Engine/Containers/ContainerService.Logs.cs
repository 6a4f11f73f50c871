using System.Runtime.CompilerServices;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads the container's json-file log (written by its shim) with Docker's filters. With Follow it
    /// keeps reading until the container stops and the file is drained, or the caller cancels.</summary>
    public async IAsyncEnumerable<JsonLogEntry> ReadLogsAsync(string nameOrId, LogQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var path = PathsOf(entry.Record).LogFile;
        if (!File.Exists(path)) yield break;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var reader = new LogLineReader(file);

        var backlog = new List<JsonLogEntry>();
        foreach (var line in reader.ReadAvailable())
            if (Matches(line, query)) backlog.Add(line);
        var skip = query.Tail is { } tail ? Math.Max(0, backlog.Count - tail) : 0;
        foreach (var line in backlog.Skip(skip)) yield return line;
        if (!query.Follow) yield break;

        while (!ct.IsCancellationRequested)
        {
            var stopped = !entry.Record.State.Running;
            foreach (var line in reader.ReadAvailable())
            {
                if (query.Until is { } until && line.Time > until) yield break;
                if (Matches(line, query)) yield return line;
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

    private static bool Matches(JsonLogEntry line, LogQuery query)
    {
        if (line.Stream == "stdout" && !query.Stdout) return false;
        if (line.Stream == "stderr" && !query.Stderr) return false;
        if (query.Since is { } since && line.Time < since) return false;
        if (query.Until is { } until && line.Time > until) return false;
        return true;
    }

    /// <summary>Reads whole JSON lines from a growing file, keeping a partial last line for the next call.</summary>
    private sealed class LogLineReader(FileStream file)
    {
        private readonly MemoryStream _partial = new();
        private readonly byte[] _buffer = new byte[64 * 1024];

        public List<JsonLogEntry> ReadAvailable()
        {
            var lines = new List<JsonLogEntry>();
            int n;
            while ((n = file.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < n; i++)
                {
                    if (_buffer[i] != (byte)'\n') continue;
                    _partial.Write(_buffer, start, i - start);
                    start = i + 1;
                    if (TryParse(_partial.ToArray(), out var entry)) lines.Add(entry);
                    _partial.SetLength(0);
                }
                _partial.Write(_buffer, start, n - start);
            }
            return lines;
        }

        private static bool TryParse(byte[] line, out JsonLogEntry entry)
        {
            entry = null!;
            if (line.Length == 0) return false;
            try
            {
                entry = JsonSerializer.Deserialize(line, CoreJsonContext.Default.JsonLogEntry)!;
                return entry is not null;
            }
            catch (JsonException)
            {
                return false; // a torn line from a crash: skip it rather than fail the whole read
            }
        }
    }
}
