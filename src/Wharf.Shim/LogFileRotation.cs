using System.IO.Compression;

namespace Wharf.Shim;

/// <summary>How the json-file and local drivers move a full log aside, as Docker's do: older files shift up
/// (path.1 → path.2 …), the oldest beyond max-file goes, the current file becomes path.1 (or path.1.gz).</summary>
internal static class LogFileRotation
{
    /// <summary>Call with the current file closed; afterwards <paramref name="path"/> no longer exists.</summary>
    public static void Rotate(string path, int maxFiles, bool compress)
    {
        if (maxFiles > 1)
        {
            var suffix = compress ? ".gz" : "";
            File.Delete($"{path}.{maxFiles - 1}{suffix}");
            for (var i = maxFiles - 2; i >= 1; i--)
            {
                var from = $"{path}.{i}{suffix}";
                if (File.Exists(from))
                    File.Move(from, $"{path}.{i + 1}{suffix}", overwrite: true);
            }
            if (compress)
            {
                // Compress under a temporary name, then rename: a reader never sees half a .gz.
                var temp = $"{path}.1.gz.tmp";
                using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write))
                using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
                    source.CopyTo(gzip);
                File.Move(temp, $"{path}.1.gz", overwrite: true);
            }
            else
            {
                File.Move(path, $"{path}.1", overwrite: true);
            }
        }
        // Nothing to keep (max-file 1), or the compressed copy is made: start over (a reader holding the old
        // handle sees it go).
        File.Delete(path);
    }
}
