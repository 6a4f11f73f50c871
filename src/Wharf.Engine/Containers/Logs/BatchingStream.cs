namespace Wharf.Engine.Containers.Logs;

/// <summary>Passes reads through to a stream but answers "no more for now" (0) after every <c>batchBytes</c>, so a
/// reader that reads "everything available" (<see cref="ILogEntryReader.ReadAvailable"/>) hands back a log in
/// bounded batches instead of all at once. <see cref="AtEnd"/> tells a real end from a batch break.</summary>
internal sealed class BatchingStream(Stream inner, int batchBytes) : Stream
{
    private int _sinceBreak;

    /// <summary>The last read reached the end of what the inner stream has (so far).</summary>
    public bool AtEnd { get; private set; }

    /// <summary>False: plain pass-through (a follower after the backlog wants all there is at each poll).</summary>
    public bool Batching { get; set; } = true;

    /// <summary>Bytes read so far.</summary>
    public long Consumed { get; private set; }

    /// <summary>The reader's entries, one batch at a time, until the end of what the stream has (or a reader that
    /// stops taking bytes, as one that met corrupt data does).</summary>
    public static IEnumerable<List<Wharf.Core.Shim.JsonLogEntry>> Batches(ILogEntryReader reader, BatchingStream stream)
    {
        while (true)
        {
            var before = stream.Consumed;
            yield return reader.ReadAvailable();
            if (stream.AtEnd || stream.Consumed == before)
                yield break;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!Batching)
        {
            var read = inner.Read(buffer);
            Consumed += read;
            AtEnd = read == 0;
            return read;
        }
        if (_sinceBreak >= batchBytes)
        {
            _sinceBreak = 0;
            AtEnd = false;
            return 0;
        }
        var n = inner.Read(buffer[..Math.Min(buffer.Length, batchBytes - _sinceBreak)]);
        _sinceBreak += n;
        Consumed += n;
        AtEnd = n == 0;
        if (n == 0)
            _sinceBreak = 0;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
