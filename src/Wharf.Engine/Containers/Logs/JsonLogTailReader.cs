using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>`docker logs --tail N` for a json-file log: reads the file backwards from the end in chunks and stops as
/// soon as it has N matching lines, so a 200 MB log costs a few chunks, not 200 MB. Bytes after the last '\n' are a
/// line the shim is still writing: they are left for the follower (<see cref="TailResult.CompleteEnd"/>). A line
/// longer than <see cref="MaxLine"/> cannot come from a shim that splits lines (16 KiB of text, escaped); it is
/// skipped, as torn lines are, rather than read whole.</summary>
internal static class JsonLogTailReader
{
    public const int Chunk = 64 * 1024;
    public const int MaxLine = 1024 * 1024;

    /// <summary>The last <paramref name="count"/> entries of bytes [0, <paramref name="end"/>) that match, oldest first.</summary>
    public static TailResult ReadLast(Stream stream, long end, int count, Func<JsonLogEntry, bool> matches)
    {
        var newestFirst = new List<JsonLogEntry>();
        var chunk = new byte[Chunk];
        // The unread start of the line being assembled: bytes [pos, lineEnd) of the file, kept at the END of acc.
        var acc = new byte[Chunk * 2];
        var accLength = 0;
        var pos = end;
        var lineEnd = end;
        long completeEnd = -1; // where the last complete line ends (after its '\n'); -1 until found
        var skipping = false;
        while (pos > 0 && (newestFirst.Count < count || completeEnd < 0))
        {
            var n = (int)Math.Min(Chunk, pos);
            pos -= n;
            stream.Position = pos;
            stream.ReadExactly(chunk, 0, n);
            // Scan this chunk backwards; each '\n' ends the line before it and starts the one after it.
            var scanEnd = n;
            for (var i = n - 1; i >= 0; i--)
            {
                if (chunk[i] != (byte)'\n')
                    continue;
                var newline = pos + i;
                if (completeEnd < 0)
                {
                    completeEnd = newline + 1; // what follows is still being written
                }
                else if (!skipping)
                {
                    Prepend(ref acc, ref accLength, chunk.AsSpan(i + 1, scanEnd - (i + 1)));
                    if (accLength <= MaxLine)
                        Take(acc.AsSpan(acc.Length - accLength, accLength), matches, newestFirst);
                }
                accLength = 0;
                skipping = false;
                lineEnd = newline;
                scanEnd = i;
                if (newestFirst.Count >= count)
                    break;
            }
            if (newestFirst.Count >= count && completeEnd >= 0)
                break;
            if (completeEnd >= 0 && !skipping)
            {
                Prepend(ref acc, ref accLength, chunk.AsSpan(0, scanEnd));
                if (accLength > MaxLine)
                {
                    skipping = true;
                    accLength = 0;
                }
            }
        }
        if (pos == 0 && completeEnd >= 0 && !skipping && accLength <= MaxLine && newestFirst.Count < count && lineEnd > 0)
            Take(acc.AsSpan(acc.Length - accLength, accLength), matches, newestFirst); // the file's first line
        newestFirst.Reverse();
        return new TailResult(newestFirst, Math.Max(0, completeEnd));
    }

    /// <summary>Lines of a stream read from the start (a gzipped rotated file cannot be read backwards), keeping only
    /// the last <paramref name="count"/> that match, so memory stays bounded by what is asked for.</summary>
    public static List<JsonLogEntry> ReadLastForward(ILogEntryReader reader, BatchingStream batches, int count, Func<JsonLogEntry, bool> matches)
    {
        // Reads to the end even for 0: a follower goes on from where this stops.
        var kept = new Queue<JsonLogEntry>();
        foreach (var batch in BatchingStream.Batches(reader, batches))
        {
            foreach (var entry in batch)
            {
                if (!matches(entry))
                    continue;
                kept.Enqueue(entry);
                if (kept.Count > count)
                    kept.Dequeue();
            }
        }
        return [.. kept];
    }

    private static void Prepend(ref byte[] acc, ref int accLength, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        if (accLength + data.Length > acc.Length)
        {
            var grown = new byte[Math.Max(acc.Length * 2, accLength + data.Length)];
            acc.AsSpan(acc.Length - accLength, accLength).CopyTo(grown.AsSpan(grown.Length - accLength));
            acc = grown;
        }
        data.CopyTo(acc.AsSpan(acc.Length - accLength - data.Length));
        accLength += data.Length;
    }

    private static void Take(ReadOnlySpan<byte> line, Func<JsonLogEntry, bool> matches, List<JsonLogEntry> newestFirst)
    {
        if (line.IsEmpty)
            return;
        try
        {
            var entry = JsonSerializer.Deserialize(line, CoreJsonContext.Default.JsonLogEntry);
            if (entry is not null && matches(entry))
                newestFirst.Add(entry);
        }
        catch (JsonException)
        {
            // a torn line (a crash mid-write): skipped, as the forward reader does
        }
    }
}
