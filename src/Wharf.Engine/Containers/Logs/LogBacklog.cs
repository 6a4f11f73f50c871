using System.IO.Compression;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>What `docker logs` shows before it follows: every matching entry of the rotated files and the live file,
/// or with a tail only the last N, read from the end of the newest file backwards (rotated files only as far as
/// needed). Memory is bounded by a batch or by N entries, never by the log's size. Afterwards <see cref="LiveReader"/>
/// reads the live file on from where the backlog stopped.</summary>
internal sealed class LogBacklog
{
    /// <summary>How much of a file one forward batch reads.</summary>
    private const int BatchBytes = 1024 * 1024;

    private readonly string _path;
    private readonly string _driver;
    private readonly FileStream _live;
    private readonly int? _tail;
    private readonly Func<JsonLogEntry, bool> _matches;
    private readonly BatchingStream _liveBatches;

    /// <param name="live">The live file, opened by the caller BEFORE the rotated files are listed (a rotation in
    /// between then repeats lines rather than losing a file), positioned at its start.</param>
    public LogBacklog(string path, string driver, FileStream live, int? tail, Func<JsonLogEntry, bool> matches)
    {
        _path = path;
        _driver = driver;
        _live = live;
        _tail = tail;
        _matches = matches;
        _liveBatches = new BatchingStream(live, BatchBytes);
        LiveReader = LogEntryReaders.For(driver, _liveBatches);
    }

    /// <summary>Reads the live file on from the end of the backlog (for follow), all that is there at each call.</summary>
    public ILogEntryReader LiveReader { get; }

    /// <summary>The backlog, oldest first. Enumerate it once, before using <see cref="LiveReader"/>.</summary>
    public IEnumerable<JsonLogEntry> Read() => _tail is { } tail ? ReadTail(tail) : ReadAll();

    private IEnumerable<JsonLogEntry> ReadAll()
    {
        foreach (var rotated in LogFiles.RotatedOldestFirst(_path))
        {
            using var file = OpenOrNull(rotated);
            if (file is null)
                continue;
            using Stream stream = IsGzip(rotated) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var batches = new BatchingStream(stream, BatchBytes);
            foreach (var entry in Matching(LogEntryReaders.For(_driver, batches), batches))
                yield return entry;
        }
        foreach (var entry in Matching(LiveReader, _liveBatches))
            yield return entry;
        _liveBatches.Batching = false;
    }

    private IEnumerable<JsonLogEntry> Matching(ILogEntryReader reader, BatchingStream batches)
    {
        using var batch = BatchingStream.Batches(reader, batches).GetEnumerator();
        while (true)
        {
            try
            {
                if (!batch.MoveNext())
                    yield break;
            }
            catch (InvalidDataException)
            {
                yield break; // a damaged gzip: what came before it is all there is
            }
            foreach (var entry in batch.Current)
                if (_matches(entry))
                    yield return entry;
        }
    }

    private List<JsonLogEntry> ReadTail(int tail)
    {
        // Newest file first; each contributes what is still missing.
        var parts = new List<List<JsonLogEntry>> { TailOfFile(_live, _live.Length, tail, isLive: true) };
        var found = parts[0].Count;
        var rotated = LogFiles.RotatedOldestFirst(_path);
        for (var i = rotated.Count - 1; i >= 0 && found < tail; i--)
        {
            using var file = OpenOrNull(rotated[i]);
            if (file is null)
                continue;
            var part = TailOfFile(file, file.Length, tail - found, isLive: false);
            parts.Add(part);
            found += part.Count;
        }
        parts.Reverse();
        _liveBatches.Batching = false;
        return [.. parts.SelectMany(p => p)];
    }

    /// <summary>The last <paramref name="count"/> matching entries of one file. For the live file it also sets where
    /// following goes on: right after the last complete record the tail saw.</summary>
    private List<JsonLogEntry> TailOfFile(FileStream file, long end, int count, bool isLive)
    {
        if (IsGzip(file.Name))
        {
            // A gzip stream cannot be read backwards: read it forwards, keeping only the last ones.
            try
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
                var batches = new BatchingStream(gzip, BatchBytes);
                return JsonLogTailReader.ReadLastForward(LogEntryReaders.For(_driver, batches), batches, count, _matches);
            }
            catch (InvalidDataException)
            {
                return [];
            }
        }
        var result = _driver == LogDriverSettings.Local
            ? LocalLogTailReader.TryReadLast(file, end, count, _matches)
            : JsonLogTailReader.ReadLast(file, end, count, _matches);
        if (result is not null)
        {
            file.Position = result.CompleteEnd;
            return result.Entries;
        }
        // Not walkable backwards (a record still being written): read it forwards, keeping only the last ones.
        file.Position = 0;
        if (isLive)
            return JsonLogTailReader.ReadLastForward(LiveReader, _liveBatches, count, _matches);
        var fileBatches = new BatchingStream(file, BatchBytes);
        return JsonLogTailReader.ReadLastForward(LogEntryReaders.For(_driver, fileBatches), fileBatches, count, _matches);
    }

    private static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.Ordinal);

    private static FileStream? OpenOrNull(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // rotated away meanwhile
        }
    }
}
