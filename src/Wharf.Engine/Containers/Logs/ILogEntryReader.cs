using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>Reads the complete log entries available so far from a log file that may still grow, keeping a
/// partial trailing record for the next call. One implementation per driver format.</summary>
internal interface ILogEntryReader
{
    List<JsonLogEntry> ReadAvailable();
}
