using System.Text.Json;

namespace Wharf.Shim;

/// <summary>Reads runc's --log-format json file ({"level":"error","msg":"..."} per line) for the error
/// to report: runc's own wording, which the docker CLI pattern-matches (exit 126/127).</summary>
internal static class RuncErrorLog
{
    public static string? LastError(string path)
    {
        if (!File.Exists(path))
            return null;
        string? last = null;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && root.TryGetProperty("msg", out var msg))
                    last = msg.GetString();
            }
            catch (JsonException)
            {
                // a line that is not JSON (older runc, or a crash trace): ignore
            }
        }
        return last;
    }
}
