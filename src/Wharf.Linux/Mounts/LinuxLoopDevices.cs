using System.Text;
using Wharf.Core.Host;
using Wharf.Linux.Files;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Mounts;

/// <summary>Loop devices through /dev/loop-control: LOOP_CTL_GET_FREE picks a device, LOOP_CONFIGURE binds the
/// image with autoclear in one call (LOOP_SET_FD + LOOP_SET_STATUS64 on kernels before 5.8). Another process may
/// take the same free device between the two calls, so a busy device means "ask again".</summary>
public sealed class LinuxLoopDevices : ILoopDevices
{
    private const int LoopMajor = 7;
    private const int Attempts = 16;
    private const uint FileTypeMask = 0xF000;
    private const uint RegularFile = 0x8000;
    private const int MaxFileName = 63;

    public bool IsImageFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            return FileInspection.LStat(target) is { } status && (status.Mode & FileTypeMask) == RegularFile;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public ILoopAttachment Attach(string imageFile, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(imageFile);
        var access = (readOnly ? FdSyscalls.O_RDONLY : FdSyscalls.O_RDWR) | FdSyscalls.O_CLOEXEC;
        var backing = Errno.CheckIo(LoopSyscalls.Open(imageFile, access), "open", imageFile);
        try
        {
            var control = Errno.CheckIo(LoopSyscalls.Open("/dev/loop-control", FdSyscalls.O_RDWR | FdSyscalls.O_CLOEXEC), "open", "/dev/loop-control");
            try
            {
                for (var attempt = 0; attempt < Attempts; attempt++)
                {
                    var number = Errno.CheckIo(LoopSyscalls.Ioctl(control, LoopSyscalls.LOOP_CTL_GET_FREE, 0), "ioctl(LOOP_CTL_GET_FREE)", "/dev/loop-control");
                    var device = "/dev/loop" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    // Without devtmpfs (some minimal /dev setups) the node of a new device may be missing.
                    if (!File.Exists(device)) FileMetadata.Mknod(device, 'b', UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, LoopMajor, number);
                    var fd = Errno.CheckIo(LoopSyscalls.Open(device, access), "open", device);
                    if (Configure(fd, backing, imageFile, readOnly, device)) return new LoopAttachment(device, fd);
                    FdSyscalls.Close(fd);
                }
                throw new IOException($"attach {imageFile}: every free loop device was taken by someone else first ({Attempts} attempts)");
            }
            finally
            {
                FdSyscalls.Close(control);
            }
        }
        finally
        {
            // The loop device holds its own reference to the image from here on.
            FdSyscalls.Close(backing);
        }
    }

    /// <summary>Binds <paramref name="backing"/> to the device; false when the device turned out to be busy.</summary>
    private static unsafe bool Configure(int fd, int backing, string imageFile, bool readOnly, string device)
    {
        var config = new LoopSyscalls.LoopConfig { Fd = (uint)backing };
        config.Info.Flags = LoopSyscalls.LO_FLAGS_AUTOCLEAR | (readOnly ? LoopSyscalls.LO_FLAGS_READ_ONLY : 0);
        var name = Encoding.UTF8.GetBytes(imageFile);
        var length = Math.Min(name.Length, MaxFileName);
        for (var i = 0; i < length; i++) config.Info.FileName[i] = name[i];
        if (LoopSyscalls.IoctlConfig(fd, LoopSyscalls.LOOP_CONFIGURE, &config) == 0) return true;
        var errno = Errno.Last;
        if (errno == LoopSyscalls.EBUSY) return false;
        if (errno is not (Errno.EINVAL or LoopSyscalls.ENOTTY)) throw new SyscallException("ioctl(LOOP_CONFIGURE)", device, errno);

        // Before Linux 5.8: bind, then set the flags (read-only follows from the backing descriptor's mode).
        if (LoopSyscalls.Ioctl(fd, LoopSyscalls.LOOP_SET_FD, backing) != 0)
        {
            errno = Errno.Last;
            if (errno == LoopSyscalls.EBUSY) return false;
            throw new SyscallException("ioctl(LOOP_SET_FD)", device, errno);
        }
        var info = config.Info;
        info.Flags = LoopSyscalls.LO_FLAGS_AUTOCLEAR;
        if (LoopSyscalls.IoctlStatus(fd, LoopSyscalls.LOOP_SET_STATUS64, &info) != 0)
        {
            errno = Errno.Last;
            LoopSyscalls.Ioctl(fd, LoopSyscalls.LOOP_CLR_FD, 0);
            throw new SyscallException("ioctl(LOOP_SET_STATUS64)", device, errno);
        }
        return true;
    }
}
