using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wharf.Shim;

/// <summary>Docker's json-file log format: one {"log","stream","time"} object per output line. A line is
/// only written once its '\n' arrives (the "log" value keeps it); a partial last line is written as is
/// when the stream ends. Not thread-safe: the caller serialises.</summary>
internal sealed class JsonFileLogWriter : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly FileStream _file;
    private readonly MemoryStream _pendingStdout = new();
    private readonly MemoryStream _pendingStderr = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public JsonFileLogWriter(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    /// <param name="time">When the chunk was read; a line gets the time of the chunk that completed it.</param>
    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
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
        _file.Flush();
    }

    /// <summary>Writes out any unterminated last line of each stream.</summary>
    public void FlushPartialLines(DateTimeOffset time)
    {
        if (_pendingStdout.Length > 0)
            Emit(OutputStream.Stdout, _pendingStdout, time);
        if (_pendingStderr.Length > 0)
            Emit(OutputStream.Stderr, _pendingStderr, time);
        _file.Flush();
    }

    /// <summary>Docker's fixed-width RFC 3339 with nanoseconds, always UTC: 2026-11-27T21:43:00.123456700Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    public void Dispose()
    {
        _file.Dispose();
        _pendingStdout.Dispose();
        _pendingStderr.Dispose();
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
            json.WriteString("time", FormatTime(time));
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        _file.Write(buffer.WrittenSpan);
        pending.SetLength(0);
    }
}
