using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>Loop devices (loop(4)): open(2) and the ioctls of /dev/loop-control and /dev/loopN.</summary>
internal static unsafe partial class LoopSyscalls
{
    public const nuint LOOP_SET_FD = 0x4C00;
    public const nuint LOOP_CLR_FD = 0x4C01;
    public const nuint LOOP_SET_STATUS64 = 0x4C04;
    public const nuint LOOP_CONFIGURE = 0x4C0A;
    public const nuint LOOP_CTL_GET_FREE = 0x4C82;

    public const uint LO_FLAGS_READ_ONLY = 1;
    public const uint LO_FLAGS_AUTOCLEAR = 4;

    public const int ENOTTY = 25;
    public const int EBUSY = 16;

    /// <summary>struct loop_info64 (232 bytes): only the fields we set are named.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LoopInfo64
    {
        public ulong Device;
        public ulong Inode;
        public ulong RDevice;
        public ulong Offset;
        public ulong SizeLimit;
        public uint Number;
        public uint EncryptType;
        public uint EncryptKeySize;
        public uint Flags;
        public fixed byte FileName[64];
        public fixed byte CryptName[64];
        public fixed byte EncryptKey[32];
        public fixed ulong Init[2];
    }

    /// <summary>struct loop_config (304 bytes), for LOOP_CONFIGURE (Linux 5.8+): fd and status in one call.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LoopConfig
    {
        public uint Fd;
        public uint BlockSize;
        public LoopInfo64 Info;
        public fixed ulong Reserved[8];
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlConfig(int fd, nuint request, LoopConfig* config);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlStatus(int fd, nuint request, LoopInfo64* info);
}
