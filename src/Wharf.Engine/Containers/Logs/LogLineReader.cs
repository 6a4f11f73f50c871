using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>Reads whole JSON log lines from a stream that may still grow, keeping a partial last line for the
/// next call. Torn lines (a crash mid-write) are skipped rather than failing the read.</summary>
internal sealed class LogLineReader(Stream stream) : ILogEntryReader
{
    private readonly MemoryStream _partial = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    public Stream Stream => stream;

    public List<JsonLogEntry> ReadAvailable()
    {
        var lines = new List<JsonLogEntry>();
        int n;
        while ((n = stream.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < n; i++)
            {
                if (_buffer[i] != (byte)'\n') continue;
                _partial.Write(_buffer, start, i - start);
                start = i + 1;
                if (TryParse(_partial.GetBuffer().AsSpan(0, (int)_partial.Length), out var entry)) lines.Add(entry);
                _partial.SetLength(0);
            }
            _partial.Write(_buffer, start, n - start);
        }
        return lines;
    }

    private static bool TryParse(ReadOnlySpan<byte> line, out JsonLogEntry entry)
    {
        entry = null!;
        if (line.IsEmpty) return false;
        try
        {
            entry = JsonSerializer.Deserialize(line, CoreJsonContext.Default.JsonLogEntry)!;
            return entry is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
