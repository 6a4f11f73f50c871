namespace Wharf.Shim;

/// <summary>Container logs hold whatever the container prints (often secrets): owner read/write, group read (0640),
/// never world-readable, as dockerd keeps them. Applied on every open, so a log created earlier with a wider mode
/// (the daemon creates the empty file at create) is narrowed too.</summary>
internal static class LogFileMode
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public static FileStream OpenAppend(string path)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0, UnixCreateMode = Mode,
        });
        File.SetUnixFileMode(file.SafeFileHandle, Mode);
        return file;
    }
}
