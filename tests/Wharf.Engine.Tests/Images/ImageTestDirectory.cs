namespace Wharf.Engine.Tests.Images;

/// <summary>A throw-away data root, removed (read-only directories included) on dispose.</summary>
internal sealed class ImageTestDirectory : IDisposable
{
    public ImageTestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("wharf-images-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        MakeWritable(Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void MakeWritable(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            if (new DirectoryInfo(child).LinkTarget is null) MakeWritable(child);
        }
    }
}
