namespace Wharf.Linux;

/// <summary>A failed system call: which operation, on which path (if any), and the errno it returned.</summary>
public sealed class SyscallException : IOException
{
    public SyscallException(string operation, string? path, int errno)
        : base(FormatMessage(operation, path, errno), errno)
    {
        Operation = operation;
        Path = path;
        Errno = errno;
    }

    public string Operation { get; }
    public string? Path { get; }
    public int Errno { get; }

    private static string FormatMessage(string operation, string? path, int errno)
    {
        var reason = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return path is null ? $"{operation}: {reason}" : $"{operation} {path}: {reason}";
    }
}
