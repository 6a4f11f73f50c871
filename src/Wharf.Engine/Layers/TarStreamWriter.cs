using System.Globalization;
using System.Text;

namespace Wharf.Engine.Layers;

/// <summary>A minimal tar writer with byte-for-byte deterministic output: ustar headers, plus a PAX extended header
/// only when something does not fit (long names, big numbers, xattrs) named "PaxHeaders.0/..." as Go's archive/tar
/// does. System.Formats.Tar names PAX headers after the process id, which would make the same layer hash
/// differently in every daemon run.</summary>
public sealed class TarStreamWriter(Stream output)
{
    private const int BlockSize = 512;
    private const long MaxOctal11 = 0x1FFFFFFFF; // 8 GiB - 1: 11 octal digits
    private const int MaxOctal7 = 0x1FFFFF;
    private static readonly byte[] Zeros = new byte[BlockSize * 2];

    /// <summary>Writes a header and then exactly <see cref="TarRecord.Size"/> bytes of <paramref name="content"/>
    /// (regular files only), padded to the block size.</summary>
    public void Write(TarRecord record, Stream? content = null)
    {
        var pax = PaxRecords(record);
        if (pax.Length > 0)
        {
            var paxName = PaxHeaderName(record.Name);
            WriteHeader(new TarRecord('x', paxName, 0x1A4, Size: pax.Length, ModificationTime: record.ModificationTime), fitsUstar: true);
            output.Write(pax);
            Pad(pax.Length);
        }
        WriteHeader(record, fitsUstar: pax.Length == 0);
        if (record.TypeFlag != '0' || record.Size == 0) return;
        if (content is null) throw new ArgumentException("a regular file needs content", nameof(content));
        CopyExactly(content, record.Size);
        Pad(record.Size);
    }

    /// <summary>The end-of-archive marker: two zero blocks.</summary>
    public void Finish() => output.Write(Zeros);

    private void CopyExactly(Stream content, long size)
    {
        var buffer = new byte[81920];
        var left = size;
        while (left > 0)
        {
            var read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                // The file shrank while we read it: keep the archive well-formed with zeros.
                Array.Clear(buffer);
                while (left > 0)
                {
                    var n = (int)Math.Min(buffer.Length, left);
                    output.Write(buffer, 0, n);
                    left -= n;
                }
                return;
            }
            output.Write(buffer, 0, read);
            left -= read;
        }
    }

    private void Pad(long written)
    {
        var rest = (int)(written % BlockSize);
        if (rest != 0) output.Write(Zeros, 0, BlockSize - rest);
    }

    private static string PaxHeaderName(string name)
    {
        var trimmed = name.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var dir = slash < 0 ? "" : trimmed[..(slash + 1)];
        var file = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        var result = dir + "PaxHeaders.0/" + file;
        return Encoding.UTF8.GetByteCount(result) <= 100 ? result : TruncateUtf8(result, 100);
    }

    private static string TruncateUtf8(string text, int bytes)
    {
        while (Encoding.UTF8.GetByteCount(text) > bytes) text = text[..^1];
        return text;
    }

    private static byte[] PaxRecords(TarRecord r)
    {
        var records = new List<(string Key, byte[] Value)>();
        if (Encoding.UTF8.GetByteCount(r.Name) > 100 || !IsAscii(r.Name)) records.Add(("path", Encoding.UTF8.GetBytes(r.Name)));
        if (r.LinkName is { } link && (Encoding.UTF8.GetByteCount(link) > 100 || !IsAscii(link))) records.Add(("linkpath", Encoding.UTF8.GetBytes(link)));
        if (r.Size > MaxOctal11) records.Add(("size", Ascii(r.Size)));
        if (r.Uid > MaxOctal7 || r.Uid < 0) records.Add(("uid", Ascii(r.Uid)));
        if (r.Gid > MaxOctal7 || r.Gid < 0) records.Add(("gid", Ascii(r.Gid)));
        if (r.ModificationTime is < 0 or > MaxOctal11) records.Add(("mtime", Ascii(r.ModificationTime)));
        foreach (var (name, value) in (r.Xattrs ?? []).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            records.Add(("SCHILY.xattr." + name, value));
        }
        if (records.Count == 0) return [];
        // PAX keys sort as Go writes them: deterministic regardless of insertion order.
        using var buffer = new MemoryStream();
        foreach (var (key, value) in records.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
            var length = body + body.ToString(CultureInfo.InvariantCulture).Length;
            if (length.ToString(CultureInfo.InvariantCulture).Length != body.ToString(CultureInfo.InvariantCulture).Length) length++;
            buffer.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + key + "="));
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    private void WriteHeader(TarRecord r, bool fitsUstar)
    {
        var header = new byte[BlockSize];
        var span = header.AsSpan();
        PutString(span[..100], fitsUstar ? r.Name : TruncateUtf8(AsciiOnly(r.Name), 100));
        PutOctal(span.Slice(100, 8), r.Mode & 0xFFF);
        PutOctal(span.Slice(108, 8), r.Uid is >= 0 and <= MaxOctal7 ? r.Uid : 0);
        PutOctal(span.Slice(116, 8), r.Gid is >= 0 and <= MaxOctal7 ? r.Gid : 0);
        PutOctal(span.Slice(124, 12), r.Size <= MaxOctal11 ? r.Size : 0);
        PutOctal(span.Slice(136, 12), r.ModificationTime is >= 0 and <= MaxOctal11 ? r.ModificationTime : 0);
        span.Slice(148, 8).Fill((byte)' ');
        span[156] = (byte)r.TypeFlag;
        if (r.LinkName is { } link) PutString(span.Slice(157, 100), fitsUstar ? link : TruncateUtf8(AsciiOnly(link), 100));
        "ustar\0"u8.CopyTo(span.Slice(257, 6));
        "00"u8.CopyTo(span.Slice(263, 2));
        if (r.TypeFlag is '3' or '4')
        {
            PutOctal(span.Slice(329, 8), r.DevMajor);
            PutOctal(span.Slice(337, 8), r.DevMinor);
        }
        var sum = 0;
        foreach (var b in header) sum += b;
        var checksum = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(checksum).CopyTo(span.Slice(148, 6));
        span[154] = 0;
        span[155] = (byte)' ';
        output.Write(header);
    }

    private static string AsciiOnly(string text) => new(text.Select(c => char.IsAscii(c) ? c : '_').ToArray());

    private static void PutString(Span<byte> field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length)).CopyTo(field);
    }

    private static void PutOctal(Span<byte> field, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(field);
        field[^1] = 0;
    }
}
