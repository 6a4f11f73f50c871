using System.IO.Compression;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>The files of one container log: the live file and its rotated predecessors (&lt;log&gt;.1 is the newest,
/// optionally gzipped as &lt;log&gt;.1.gz).</summary>
internal static class LogFiles
{
    /// <summary>Rotated files that exist, oldest first (the highest number first).</summary>
    public static IReadOnlyList<string> RotatedOldestFirst(string livePath)
    {
        var dir = Path.GetDirectoryName(livePath)!;
        var name = Path.GetFileName(livePath);
        if (!Directory.Exists(dir)) return [];
        var found = new List<(int Number, string Path)>();
        foreach (var file in Directory.EnumerateFiles(dir, name + ".*"))
        {
            var fileName = Path.GetFileName(file);
            if (fileName.Length <= name.Length + 1) continue; // ".*" also matches the live file itself
            var suffix = fileName[(name.Length + 1)..];
            if (suffix.EndsWith(".gz", StringComparison.Ordinal)) suffix = suffix[..^3];
            if (int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                found.Add((number, file));
        }
        return found.OrderByDescending(f => f.Number).Select(f => f.Path).ToList();
    }

    /// <summary>Every line of a rotated file (plain or gzip); a file rotated away meanwhile reads as empty.</summary>
    public static List<JsonLogEntry> ReadAll(string path, string driver = LogDriverSettings.JsonFile)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return LogEntryReaders.For(driver, stream).ReadAvailable();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            return [];
        }
    }
}
