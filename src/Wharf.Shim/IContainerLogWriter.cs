namespace Wharf.Shim;

/// <summary>Where the shim writes a container's output for `docker logs`: one implementation per logging driver
/// format. Not thread-safe: the caller serialises.</summary>
internal interface IContainerLogWriter : IDisposable
{
    /// <param name="time">When the chunk was read; a line gets the time of the chunk that completed it.</param>
    void Write(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time);

    /// <summary>Writes out any unterminated last line of each stream.</summary>
    void FlushPartialLines(DateTimeOffset time);
}
