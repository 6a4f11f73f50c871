using System.Buffers.Binary;
using Wharf.Core.Host;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Host;

/// <summary>Host device nodes read with statx(2): --device looks one up, --privileged takes all of /dev.</summary>
public sealed class LinuxHostDevices : IHostDevices
{
    private const uint TypeMask = 0xF000;
    private const uint CharDevice = 0x2000;
    private const uint BlockDevice = 0x6000;
    private const uint Fifo = 0x1000;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    // Per-container mounts (pts, shm, mqueue) and the console are set up by runc itself; fd links to /proc.
    private static readonly string[] SkippedDirectories = ["pts", "shm", "mqueue", "fd", ".lxc", ".lxd-mounts", ".udev"];

    private readonly string _devRoot;

    public LinuxHostDevices(string devRoot = "/dev") => _devRoot = devRoot;

    public HostDevice? Find(string path)
    {
        var device = Stat(path, out var errno, out var isOther);
        if (device is not null) return device;
        if (errno is ENOENT or ENOTDIR) return null;
        if (isOther) throw new InvalidOperationException("not a device node");
        throw new InvalidOperationException(new System.ComponentModel.Win32Exception(errno).Message.ToLowerInvariant());
    }

    public IReadOnlyList<HostDevice> All()
    {
        var result = new List<HostDevice>();
        Walk(_devRoot, result);
        return result;
    }

    private static void Walk(string dir, List<HostDevice> result)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dir).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var entry in entries)
        {
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null) continue; // symlinks: runc makes its own, others point into /dev anyway
            if ((info.Attributes & FileAttributes.Directory) != 0)
            {
                if (!SkippedDirectories.Contains(info.Name)) Walk(entry, result);
                continue;
            }
            if (info.Name == "console") continue;
            var device = Stat(entry, out _, out _);
            if (device is not null && device.Type != 'p') result.Add(device);
        }
    }

    private static unsafe HostDevice? Stat(string path, out int errno, out bool isOther)
    {
        isOther = false;
        errno = 0;
        var buffer = stackalloc byte[StatxSyscalls.BufferSize];
        if (StatxSyscalls.Statx(StatxSyscalls.AtFdCwd, path, 0, StatxSyscalls.StatxBasicStats, buffer) != 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return null;
        }
        var span = new ReadOnlySpan<byte>(buffer, StatxSyscalls.BufferSize);
        uint mode = BinaryPrimitives.ReadUInt16LittleEndian(span[StatxSyscalls.ModeOffset..]);
        var type = (mode & TypeMask) switch
        {
            CharDevice => 'c',
            BlockDevice => 'b',
            Fifo => 'p',
            _ => '\0',
        };
        if (type == '\0')
        {
            isOther = true;
            return null;
        }
        return new HostDevice(
            path,
            type,
            BinaryPrimitives.ReadUInt32LittleEndian(span[StatxSyscalls.RdevMajorOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(span[StatxSyscalls.RdevMinorOffset..]),
            mode & 0xFFF,
            BinaryPrimitives.ReadUInt32LittleEndian(span[StatxSyscalls.UidOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(span[StatxSyscalls.GidOffset..]));
    }
}
