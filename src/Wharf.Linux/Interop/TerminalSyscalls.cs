using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>ioctl(2) for terminal window sizes.</summary>
internal static unsafe partial class TerminalSyscalls
{
    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCGWINSZ = 0x5413;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWinSize(int fd, nuint request, WinSize* size);
}
