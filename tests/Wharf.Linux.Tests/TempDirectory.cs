namespace Wharf.Linux.Tests;

/// <summary>A unique directory under /tmp, removed (after detaching anything still mounted below it) on Dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "wharf-linux-test-") =>
        Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        var ops = new LinuxMountOps();
        // Deepest first, so nested mounts come off before their parents.
        foreach (var m in Mounts.MountInfo.ReadSelf().Select(e => e.MountPoint)
                     .Where(p => p.StartsWith(Path + "/", StringComparison.Ordinal))
                     .OrderByDescending(p => p.Length))
            ops.Unmount(m);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a lazily detached mount may still be draining
        }
    }
}
