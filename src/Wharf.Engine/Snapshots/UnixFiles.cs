namespace Wharf.Engine.Snapshots;

/// <summary>The Unix-only managed file APIs, behind one platform guard (Wharf runs on Linux only; the guard keeps
/// the platform analyzer satisfied without marking every caller Linux-only).</summary>
internal static class UnixFiles
{
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        File.SetUnixFileMode(path, mode);
    }

    public static UnixFileMode GetMode(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        return File.GetUnixFileMode(path);
    }

    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        Directory.CreateDirectory(path, mode);
    }

    /// <summary>Creates a new file (failing if it exists) readable and writable only by the owner until its final
    /// mode is set.</summary>
    public static FileStream CreatePrivateFile(string path, long preallocationSize)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            PreallocationSize = preallocationSize,
        });
    }
}
