using System.Runtime.InteropServices;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Terminals;

/// <summary>Window size of a terminal (TIOCSWINSZ / TIOCGWINSZ). Setting it on the master makes the kernel send
/// SIGWINCH to the foreground process group on the slave side.</summary>
public static class PtySize
{
    public static unsafe void Set(SafeHandle terminal, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var size = new TerminalSyscalls.WinSize { Rows = (ushort)Math.Clamp(rows, 0, ushort.MaxValue), Columns = (ushort)Math.Clamp(columns, 0, ushort.MaxValue) };
        var added = false;
        terminal.DangerousAddRef(ref added);
        try
        {
            Errno.CheckIo(TerminalSyscalls.IoctlWinSize((int)terminal.DangerousGetHandle(), TerminalSyscalls.TIOCSWINSZ, &size), "ioctl(TIOCSWINSZ)");
        }
        finally
        {
            if (added) terminal.DangerousRelease();
        }
    }

    public static unsafe (int Rows, int Columns) Get(SafeHandle terminal)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var size = default(TerminalSyscalls.WinSize);
        var added = false;
        terminal.DangerousAddRef(ref added);
        try
        {
            Errno.CheckIo(TerminalSyscalls.IoctlWinSize((int)terminal.DangerousGetHandle(), TerminalSyscalls.TIOCGWINSZ, &size), "ioctl(TIOCGWINSZ)");
        }
        finally
        {
            if (added) terminal.DangerousRelease();
        }
        return (size.Rows, size.Columns);
    }
}
