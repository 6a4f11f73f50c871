using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wharf.Shim;

/// <summary>Docker's json-file log format: one {"log","stream","attrs","time"} object per output line. A line is
/// only written once its '\n' arrives (the "log" value keeps it); a partial last line is written as is
/// when the stream ends. With a maximum size the file is rotated before a line would push it past the limit:
/// &lt;log&gt; becomes &lt;log&gt;.1 (gzipped to &lt;log&gt;.1.gz with compress), &lt;log&gt;.1 becomes .2, and
/// the oldest beyond max-file is deleted. Not thread-safe: the caller serialises.</summary>
internal sealed class JsonFileLogWriter : IContainerLogWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly bool _compress;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _attrs;
    private FileStream? _file;
    private long _size;
    private readonly MemoryStream _pendingStdout = new();
    private readonly MemoryStream _pendingStderr = new();
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
        if (_file is null)
            return;
        var pending = Pending(stream);
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(chunk);
                break;
            }
            pending.Write(chunk[..(newline + 1)]);
            Emit(stream, pending, time);
            chunk = chunk[(newline + 1)..];
        }
        _file?.Flush();
    }

    /// <summary>Writes out any unterminated last line of each stream.</summary>
    public void FlushPartialLines(DateTimeOffset time)
    {
        if (_file is null)
            return;
        if (_pendingStdout.Length > 0)
            Emit(OutputStream.Stdout, _pendingStdout, time);
        if (_pendingStderr.Length > 0)
            Emit(OutputStream.Stderr, _pendingStderr, time);
        _file?.Flush();
    }

    /// <summary>Docker's fixed-width RFC 3339 with nanoseconds, always UTC: 2026-11-27T21:43:00.123456700Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    public void Dispose()
    {
        _file?.Dispose();
        _pendingStdout.Dispose();
        _pendingStderr.Dispose();
    }

    private void Open()
    {
        _file = LogFileMode.OpenAppend(_path);
        _size = _file.Length;
    }

    private MemoryStream Pending(OutputStream stream) => stream == OutputStream.Stdout ? _pendingStdout : _pendingStderr;

    private void Emit(OutputStream stream, MemoryStream pending, DateTimeOffset time)
    {
        var buffer = _buffer;
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("log", Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length));
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
        pending.SetLength(0);
        // Never split a line across files: rotate first when this line would cross the limit (a single line
        // longer than the limit still goes into a fresh file whole).
        if (_maxSize > 0 && _size > 0 && _size + buffer.WrittenCount > _maxSize)
            Rotate();
        _file!.Write(buffer.WrittenSpan);
        _size += buffer.WrittenCount;
    }

    private void Rotate()
    {
        _file!.Dispose();
        _file = null;
        LogFileRotation.Rotate(_path, _maxFiles, _compress);
        Open();
    }
}
