namespace Wharf.Core.Logs;

/// <summary>One record of Docker's "local" log driver (its protobuf LogEntry): the stream ("stdout"/"stderr"), the
/// time in Unix nanoseconds, the line WITHOUT its newline, and whether the line is partial. A partial record is
/// not followed by a newline when read back unless it is the last piece of a split line.</summary>
public sealed record LocalLogRecord(string Source, long TimeNano, byte[] Line, bool Partial, bool PartialLast = false)
{
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100);

    /// <summary>Nanoseconds since the Unix epoch (100 ns resolution, as DateTimeOffset holds).</summary>
    public static long ToUnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The text `docker logs` shows: the line plus '\n', except for a piece of a split line that is not
    /// its last (Docker's reader rule).</summary>
    public string Text()
    {
        var text = System.Text.Encoding.UTF8.GetString(Line);
        return !Partial || PartialLast ? text + "\n" : text;
    }
}
