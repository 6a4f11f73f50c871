namespace Wharf.Engine.Containers.Logs;

/// <summary>The reader for a driver's file format: Docker's protobuf records for "local", JSON lines otherwise.</summary>
internal static class LogEntryReaders
{
    public static ILogEntryReader For(string driver, Stream stream) =>
        driver == LogDriverSettings.Local ? new LocalLogReader(stream) : new LogLineReader(stream);
}
