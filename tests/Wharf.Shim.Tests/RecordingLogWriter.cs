namespace Wharf.Shim.Tests;

/// <summary>A log writer that records what it is given, and can be told to throw or to block (a full disk, a hung
/// one, a bug), so the tests can show the container's life does not depend on it.</summary>
internal sealed class RecordingLogWriter : IContainerLogWriter
{
    private readonly Lock _gate = new();
    private readonly List<(OutputStream Stream, byte[] Data)> _writes = [];

    /// <summary>Thrown by Write and FlushPartialLines while set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Write waits on this while it is set (until it is released).</summary>
    public ManualResetEventSlim? Block { get; set; }

    public int Flushes { get; private set; }

    public ManualResetEventSlim Entered { get; } = new(false);

    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
        Entered.Set();
        Block?.Wait();
        if (Failure is { } failure)
            throw failure;
        lock (_gate)
            _writes.Add((stream, chunk.ToArray()));
    }

    public void FlushPartialLines(DateTimeOffset time)
    {
        if (Failure is { } failure)
            throw failure;
        Flushes++;
    }

    public string Text(OutputStream stream)
    {
        lock (_gate)
            return string.Concat(_writes.Where(w => w.Stream == stream).Select(w => System.Text.Encoding.UTF8.GetString(w.Data)));
    }

    public void Dispose() => Entered.Dispose();
}
