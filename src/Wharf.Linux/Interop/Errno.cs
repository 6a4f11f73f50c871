using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>errno values we branch on (Linux generic numbers) and the single errno-to-exception helper.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EBUSY = 16;
    public const int EINVAL = 22;

    /// <summary>The errno of the last LibraryImport call made with SetLastError = true.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Returns <paramref name="result"/> unless it is -1, in which case the errno becomes a
    /// <see cref="SyscallException"/> naming the operation and path, so failures are diagnosable.</summary>
    public static int CheckIo(int result, string operation, string? path = null)
    {
        if (result == -1)
            throw new SyscallException(operation, path, Last);
        return result;
    }

    /// <summary>posix_spawn-style calls return the error number instead of setting errno.</summary>
    public static void CheckReturnedError(int error, string operation, string? path = null)
    {
        if (error != 0)
            throw new SyscallException(operation, path, error);
    }
}
