using System.Buffers;
using Wharf.Core.Logs;

namespace Wharf.Shim;

/// <summary>Docker's "local" driver format (see <see cref="LocalLogCodec"/>): one framed protobuf record per line,
/// the newline not stored. As Docker, a line longer than 16 KiB is written in pieces marked partial (the last piece
/// flagged last), and an unterminated line at the end of output is written partial so no newline is invented.
/// Rotation as Docker's local defaults (20 MiB x 5, gzipped; the daemon passes the values): before a record would
/// push the file past max-size, &lt;log&gt; becomes &lt;log&gt;.1[.gz], older ones shift up, the oldest is dropped.</summary>
internal sealed class LocalLogWriter : IContainerLogWriter
{
    /// <summary>Docker's log buffer size: longer lines are split into partial records.</summary>
    public const int MaxLinePiece = 16 * 1024;

    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly bool _compress;
    private readonly Pending _stdout = new("stdout");
    private readonly Pending _stderr = new("stderr");
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private FileStream _file;
    private long _size;

    /// <param name="maxSize">Rotate before the file would exceed this many bytes; 0 = never rotate.</param>
    /// <param name="maxFiles">Files kept, the live one included (1 = start over in place on rotation).</param>
    public LocalLogWriter(string path, long maxSize, int maxFiles, bool compress)
    {
        _path = path;
        _maxSize = maxSize;
        _maxFiles = Math.Max(1, maxFiles);
        _compress = compress;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        _file = Open(out _size);
    }

    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
        var pending = stream == OutputStream.Stdout ? _stdout : _stderr;
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var take = newline < 0 ? chunk.Length : newline;
            var room = MaxLinePiece - (int)pending.Line.Length;
            if (take > room)
            {
                // A piece of a long line: full buffer out as partial, go on with the rest.
                pending.Line.Write(chunk[..room]);
                Emit(pending, time, partial: true, last: false);
                pending.Split = true;
                chunk = chunk[room..];
                continue;
            }
            pending.Line.Write(chunk[..take]);
            if (newline < 0)
                break;
            Emit(pending, time, partial: pending.Split, last: pending.Split);
            pending.Split = false;
            chunk = chunk[(newline + 1)..];
        }
        _file.Flush();
    }

    public void FlushPartialLines(DateTimeOffset time)
    {
        foreach (var pending in new[] { _stdout, _stderr })
        {
            if (pending.Line.Length == 0)
                continue;
            Emit(pending, time, partial: true, last: false);
            pending.Split = false;
        }
        _file.Flush();
    }

    public void Dispose()
    {
        _file.Dispose();
        _stdout.Line.Dispose();
        _stderr.Line.Dispose();
    }

    private void Emit(Pending pending, DateTimeOffset time, bool partial, bool last)
    {
        _buffer.ResetWrittenCount();
        var record = new LocalLogRecord(pending.Source, LocalLogRecord.ToUnixNanos(time), pending.Line.ToArray(), partial, last);
        LocalLogCodec.Encode(record, _buffer);
        pending.Line.SetLength(0);
        if (_maxSize > 0 && _size > 0 && _size + _buffer.WrittenCount > _maxSize)
            Rotate();
        _file.Write(_buffer.WrittenSpan);
        _size += _buffer.WrittenCount;
    }

    private FileStream Open(out long size)
    {
        var file = LogFileMode.OpenAppend(_path);
        size = file.Length;
        return file;
    }

    private void Rotate()
    {
        _file.Dispose();
        LogFileRotation.Rotate(_path, _maxFiles, _compress);
        _file = Open(out _size);
    }

    private sealed class Pending(string source)
    {
        public string Source { get; } = source;
        public MemoryStream Line { get; } = new();
        /// <summary>Pieces of the current line were already written as partial records.</summary>
        public bool Split { get; set; }
    }
}
