using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>statx(2): the one stat call whose struct layout is the same on every architecture, and which
/// reports a device node's major/minor numbers (.NET has no API for st_rdev).</summary>
internal static unsafe partial class StatxSyscalls
{
    public const int AtFdCwd = -100;
    public const uint StatxBasicStats = 0x7ff;
    public const int BufferSize = 256;
    public const int ModeOffset = 28;
    public const int UidOffset = 20;
    public const int GidOffset = 24;
    public const int RdevMajorOffset = 128;
    public const int RdevMinorOffset = 132;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
