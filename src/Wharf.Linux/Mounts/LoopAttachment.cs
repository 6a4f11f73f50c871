using Wharf.Core.Host;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Mounts;

/// <summary>Our open descriptor of a configured loop device. Closing it is all the "detach" there is: the device
/// was configured with autoclear, so the kernel frees it once no mount or descriptor holds it.</summary>
internal sealed class LoopAttachment(string devicePath, int fd) : ILoopAttachment
{
    private int _fd = fd;

    public string DevicePath { get; } = devicePath;

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) FdSyscalls.Close(fd);
    }
}
