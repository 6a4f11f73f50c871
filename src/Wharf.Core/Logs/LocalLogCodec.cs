using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wharf.Core.Logs;

/// <summary>The on-disk framing of Docker's "local" log driver, so its files read the same as Docker's: each record
/// is a protobuf LogEntry (source = 1, time_nano = 2, line = 3, partial = 4, partial_log_metadata = 5 {last = 1,
/// id = 2, ordinal = 3}, attrs = 6) with its length as a 4-byte big-endian integer both BEFORE and AFTER it. The
/// trailing copy lets a reader walk the file backwards for --tail without parsing it from the start. Proto3 rules:
/// fields at their default value are not written; unknown fields are skipped when reading.</summary>
public static class LocalLogCodec
{
    public const int LengthSize = 4;

    /// <summary>A record bigger than this is corruption, not a log line (Docker caps a message at 1 MB too).</summary>
    public const int MaxRecordSize = 1_000_000;

    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;

    /// <summary>Appends the framed record: length, protobuf message, length.</summary>
    public static void Encode(LocalLogRecord record, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        var sourceLength = Encoding.UTF8.GetByteCount(record.Source);
        var size = 0;
        if (sourceLength > 0) size += 1 + VarintSize((ulong)sourceLength) + sourceLength;
        if (record.TimeNano != 0) size += 1 + VarintSize((ulong)record.TimeNano);
        if (record.Line.Length > 0) size += 1 + VarintSize((ulong)record.Line.Length) + record.Line.Length;
        if (record.Partial) size += 2;
        var metadataSize = record.Partial && record.PartialLast ? 2 : 0;
        if (metadataSize > 0) size += 1 + VarintSize((ulong)metadataSize) + metadataSize;

        var span = output.GetSpan(size + 2 * LengthSize);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)size);
        var at = LengthSize;
        if (sourceLength > 0)
        {
            span[at++] = Tag(1, WireLengthDelimited);
            at += WriteVarint(span[at..], (ulong)sourceLength);
            at += Encoding.UTF8.GetBytes(record.Source, span[at..]);
        }
        if (record.TimeNano != 0)
        {
            span[at++] = Tag(2, WireVarint);
            at += WriteVarint(span[at..], (ulong)record.TimeNano); // int64: negative values take 10 bytes, as protobuf says
        }
        if (record.Line.Length > 0)
        {
            span[at++] = Tag(3, WireLengthDelimited);
            at += WriteVarint(span[at..], (ulong)record.Line.Length);
            record.Line.CopyTo(span[at..]);
            at += record.Line.Length;
        }
        if (record.Partial)
        {
            span[at++] = Tag(4, WireVarint);
            span[at++] = 1;
        }
        if (metadataSize > 0)
        {
            span[at++] = Tag(5, WireLengthDelimited);
            at += WriteVarint(span[at..], (ulong)metadataSize);
            span[at++] = Tag(1, WireVarint);
            span[at++] = 1;
        }
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)size);
        output.Advance(at + LengthSize);
    }

    /// <summary>Decodes the record at the start of data. False when data holds only part of it (a writer is
    /// mid-record: read more and try again). Throws InvalidDataException for bytes that cannot be a record.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out LocalLogRecord record, out int consumed)
    {
        record = null!;
        consumed = 0;
        if (data.Length < LengthSize) return false;
        var size = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (size > MaxRecordSize) throw new InvalidDataException($"log record is too large ({size} bytes)");
        var total = (int)size + 2 * LengthSize;
        if (data.Length < total) return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(data[(LengthSize + (int)size)..]) != size)
            throw new InvalidDataException("log record header and footer give different sizes");
        record = DecodeMessage(data.Slice(LengthSize, (int)size));
        consumed = total;
        return true;
    }

    private static LocalLogRecord DecodeMessage(ReadOnlySpan<byte> message)
    {
        var source = "";
        long time = 0;
        byte[] line = [];
        var partial = false;
        var last = false;
        var at = 0;
        while (at < message.Length)
        {
            var key = ReadVarint(message, ref at);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field, wire)
            {
                case (1, WireLengthDelimited):
                    source = Encoding.UTF8.GetString(ReadBytes(message, ref at));
                    break;
                case (2, WireVarint):
                    time = (long)ReadVarint(message, ref at);
                    break;
                case (3, WireLengthDelimited):
                    line = ReadBytes(message, ref at).ToArray();
                    break;
                case (4, WireVarint):
                    partial = ReadVarint(message, ref at) != 0;
                    break;
                case (5, WireLengthDelimited):
                    last = ReadPartialLast(ReadBytes(message, ref at));
                    break;
                default:
                    Skip(message, wire, ref at);
                    break;
            }
        }
        return new LocalLogRecord(source, time, line, partial, last);
    }

    private static bool ReadPartialLast(ReadOnlySpan<byte> metadata)
    {
        var last = false;
        var at = 0;
        while (at < metadata.Length)
        {
            var key = ReadVarint(metadata, ref at);
            if (key == ((1 << 3) | WireVarint)) last = ReadVarint(metadata, ref at) != 0;
            else Skip(metadata, (int)(key & 7), ref at);
        }
        return last;
    }

    private static void Skip(ReadOnlySpan<byte> data, int wire, ref int at)
    {
        switch (wire)
        {
            case WireVarint: ReadVarint(data, ref at); break;
            case WireLengthDelimited: ReadBytes(data, ref at); break;
            case 1: at += 8; break;
            case 5: at += 4; break;
            default: throw new InvalidDataException($"log record has an unsupported protobuf wire type {wire}");
        }
        if (at > data.Length) throw new InvalidDataException("log record is truncated");
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int at)
    {
        var length = ReadVarint(data, ref at);
        if (length > (ulong)(data.Length - at)) throw new InvalidDataException("log record field runs past its end");
        var bytes = data.Slice(at, (int)length);
        at += (int)length;
        return bytes;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new InvalidDataException("log record is truncated");
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("log record has a malformed varint");
    }

    private static byte Tag(int field, int wire) => (byte)((field << 3) | wire);

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        return at;
    }
}
