using System.Text;

namespace Wharf.Compose.Cli;

/// <summary>A write-only stream that splits bytes into lines and writes each with a prefix ("web-1  | ")
/// to a shared writer, whole lines under one lock so services' output never interleaves mid-line.</summary>
public sealed class LinePrefixStream : Stream
{
    private readonly TextWriter _writer;
    private readonly string _prefix;
    private readonly Lock _lock;
    private readonly MemoryStream _pending = new();

    public LinePrefixStream(TextWriter writer, string prefix, Lock sharedLock)
    {
        _writer = writer;
        _prefix = prefix;
        _lock = sharedLock;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var start = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] == (byte)'\n')
            {
                _pending.Write(buffer[start..i]);
                Emit();
                start = i + 1;
            }
        }

        _pending.Write(buffer[start..]);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
        if (_pending.Length > 0)
        {
            Emit();
        }
    }

    private void Emit()
    {
        var line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
        _pending.SetLength(0);
        lock (_lock)
        {
            _writer.Write(_prefix);
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }
}
