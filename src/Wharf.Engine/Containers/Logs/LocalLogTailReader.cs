using System.Buffers.Binary;
using Wharf.Core.Logs;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>`docker logs --tail N` for a "local" driver log: walks the records backwards by their trailing length
/// (what that copy is for) and stops at N matching ones. A file whose end is not a whole record (the shim is mid-
/// write, or a crash tore it) cannot be walked backwards: the caller then reads it forwards.</summary>
internal static class LocalLogTailReader
{
    /// <summary>The last <paramref name="count"/> matching entries of bytes [0, <paramref name="end"/>), oldest first;
    /// null when the bytes do not end on a record boundary.</summary>
    public static TailResult? TryReadLast(Stream stream, long end, int count, Func<JsonLogEntry, bool> matches)
    {
        var newestFirst = new List<JsonLogEntry>();
        Span<byte> length = stackalloc byte[LocalLogCodec.LengthSize];
        var record = new byte[4096];
        var pos = end;
        try
        {
            // The last record is checked even for a count of 0: the follower goes on from its end.
            while (pos > 0 && (newestFirst.Count < count || pos == end))
            {
                if (pos < 2 * LocalLogCodec.LengthSize)
                    return null;
                stream.Position = pos - LocalLogCodec.LengthSize;
                stream.ReadExactly(length);
                var size = BinaryPrimitives.ReadUInt32BigEndian(length);
                var total = (long)size + 2 * LocalLogCodec.LengthSize;
                if (size > LocalLogCodec.MaxRecordSize || total > pos)
                    return null;
                if (record.Length < total)
                    record = new byte[Math.Max(record.Length * 2, total)];
                stream.Position = pos - total;
                stream.ReadExactly(record, 0, (int)total);
                if (!LocalLogCodec.TryDecode(record.AsSpan(0, (int)total), out var decoded, out var consumed) || consumed != total)
                    return null;
                var entry = new JsonLogEntry { Log = decoded.Text(), Stream = decoded.Source, Time = decoded.Time };
                if (newestFirst.Count < count && matches(entry))
                    newestFirst.Add(entry);
                pos -= total;
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }
        newestFirst.Reverse();
        return new TailResult(newestFirst, end);
    }
}
