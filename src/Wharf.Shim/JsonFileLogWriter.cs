using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wharf.Shim;

/// <summary>Docker's json-file log format: one {"log","stream","attrs","time"} object per output line. A line is
/// only written once its '\n' arrives (the "log" value keeps it); a partial last line is written as is
/// when the stream ends. As Docker, a line longer than <see cref="MaxLinePiece"/> bytes is written as several
/// records, all but the last without '\n' (readers concatenate them): the shim never holds more than that much of
/// a line, so an endless line cannot grow it (it lives outside the container's memory cgroup). Unlike Docker, a
/// cut never falls inside a UTF-8 sequence, so the pieces join back to the exact text. With a maximum size the file is rotated before a line would push it past the limit:
/// &lt;log&gt; becomes &lt;log&gt;.1 (gzipped to &lt;log&gt;.1.gz with compress), &lt;log&gt;.1 becomes .2, and
/// the oldest beyond max-file is deleted. Not thread-safe: the caller serialises.</summary>
internal sealed class JsonFileLogWriter : IContainerLogWriter
{
    /// <summary>Docker's log buffer size: longer lines are split into several records.</summary>
    public const int MaxLinePiece = 16 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly bool _compress;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _attrs;
    private readonly bool _enabled;
    private FileStream? _file;
    private long _size;
    private readonly PendingLine _pendingStdout = new();
    private readonly PendingLine _pendingStderr = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public JsonFileLogWriter(string path)
        : this(path, enabled: true, maxSize: 0, maxFiles: 1, compress: false, attrs: [])
    {
    }

    /// <param name="enabled">False for the "none" driver: output is consumed and dropped.</param>
    /// <param name="maxSize">Rotate before the file would exceed this many bytes; 0 = never rotate.</param>
    /// <param name="maxFiles">Files kept, the live one included (1 = truncate in place on rotation).</param>
    public JsonFileLogWriter(string path, bool enabled, long maxSize, int maxFiles, bool compress, IReadOnlyList<KeyValuePair<string, string>> attrs)
    {
        _path = path;
        _maxSize = maxSize;
        _maxFiles = Math.Max(1, maxFiles);
        _compress = compress;
        _attrs = attrs;
        _enabled = enabled;
        if (!enabled)
            return;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        Open();
    }

    /// <summary>Builds the writer the shim's options ask for.</summary>
    public static JsonFileLogWriter For(Core.Shim.ShimOptions options) => new(
        options.LogPath,
        enabled: options.LogDriver != "none",
        options.LogMaxSize,
        options.LogMaxFiles,
        options.LogCompress,
        ParseAttrs(options.LogAttrs));

    /// <summary>"k=v&amp;k2=v2" (URL-encoded parts) to pairs, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseAttrs(string? encoded)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(encoded))
            return result;
        foreach (var part in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
            result.Add(new KeyValuePair<string, string>(key, value));
        }
        return result;
    }

    /// <param name="time">When the chunk was read; a line gets the time of the chunk that completed it.</param>
    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
        if (!_enabled)
            return;
        var pending = Pending(stream);
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var take = newline < 0 ? chunk.Length : newline + 1;
            var room = MaxLinePiece - pending.Length;
            if (take > room)
            {
                // The line outgrows the buffer: fill it, write what is complete as a piece, keep the rest.
                pending.Append(chunk[..room]);
                chunk = chunk[room..];
                var cut = Utf8Boundary(pending.Span);
                Emit(stream, pending.Span[..cut], time);
                pending.RemoveFirst(cut);
                continue;
            }
            pending.Append(chunk[..take]);
            chunk = chunk[take..];
            if (newline >= 0)
            {
                Emit(stream, pending.Span, time);
                pending.Clear();
            }
        }
        _file?.Flush();
    }

    /// <summary>Writes out any unterminated last line of each stream.</summary>
    public void FlushPartialLines(DateTimeOffset time)
    {
        if (!_enabled)
            return;
        foreach (var (stream, pending) in new[] { (OutputStream.Stdout, _pendingStdout), (OutputStream.Stderr, _pendingStderr) })
        {
            if (pending.Length == 0)
                continue;
            Emit(stream, pending.Span, time);
            pending.Clear();
        }
        _file?.Flush();
    }

    /// <summary>Where to cut a full buffer so no UTF-8 sequence is split: before a trailing sequence that is not
    /// complete. Bytes that are not UTF-8 at all are cut where they fall.</summary>
    internal static int Utf8Boundary(ReadOnlySpan<byte> data)
    {
        // Look back at most 3 bytes for the lead byte of the last sequence.
        for (var back = 1; back <= Math.Min(4, data.Length); back++)
        {
            var b = data[^back];
            if ((b & 0xC0) == 0x80)
                continue; // a continuation byte: the lead is further back
            var length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return length > back ? data.Length - back : data.Length;
        }
        return data.Length;
    }

    /// <summary>Docker's fixed-width RFC 3339 with nanoseconds, always UTC: 2026-11-27T21:43:00.123456700Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    public void Dispose() => _file?.Dispose();

    private void Open()
    {
        var file = LogFileMode.OpenAppend(_path);
        _size = file.Length;
        _file = file;
    }

    private PendingLine Pending(OutputStream stream) => stream == OutputStream.Stdout ? _pendingStdout : _pendingStderr;

    private void Emit(OutputStream stream, ReadOnlySpan<byte> line, DateTimeOffset time)
    {
        var buffer = _buffer;
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("log", Encoding.UTF8.GetString(line));
            json.WriteString("stream", stream == OutputStream.Stdout ? "stdout" : "stderr");
            if (_attrs.Count > 0)
            {
                json.WriteStartObject("attrs");
                foreach (var (key, value) in _attrs)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteString("time", FormatTime(time));
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        // Never split a line across files: rotate first when this line would cross the limit (a single line
        // longer than the limit still goes into a fresh file whole).
        if (_file is null)
            Open(); // a failed rotation or open left us without a file: try again for this line
        if (_maxSize > 0 && _size > 0 && _size + buffer.WrittenCount > _maxSize)
            Rotate();
        _file!.Write(buffer.WrittenSpan);
        _size += buffer.WrittenCount;
    }

    private void Rotate()
    {
        _file!.Dispose();
        _file = null;
        try
        {
            LogFileRotation.Rotate(_path, _maxFiles, _compress);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Moving files aside failed (a full disk cannot gzip): the live file grows past max-size rather than
            // the lines being lost.
            Console.Error.WriteLine($"wharf-shim: log rotation failed: {e.Message}");
        }
        Open();
    }

    /// <summary>The unwritten start of one stream's current line: never more than <see cref="MaxLinePiece"/> bytes.</summary>
    private sealed class PendingLine
    {
        private readonly byte[] _bytes = new byte[MaxLinePiece];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

        public void Append(ReadOnlySpan<byte> data)
        {
            data.CopyTo(_bytes.AsSpan(Length));
            Length += data.Length;
        }

        public void RemoveFirst(int count)
        {
            _bytes.AsSpan(count, Length - count).CopyTo(_bytes);
            Length -= count;
        }

        public void Clear() => Length = 0;
    }
}
