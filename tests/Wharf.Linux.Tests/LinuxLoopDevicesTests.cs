using System.Diagnostics;
using Wharf.Core;
using Wharf.Linux.Mounts;

namespace Wharf.Linux.Tests;

/// <summary>Privileged: a mkfs.ext4'd image file mounted through a loop device, and the device freed again by
/// the unmount alone (autoclear).</summary>
public sealed class LinuxLoopDevicesTests
{
    private readonly LinuxLoopDevices _loops = new();
    private readonly LinuxMountOps _mounts = new();

    private static string? BackingFile(string device)
    {
        var file = $"/sys/block/{Path.GetFileName(device)}/loop/backing_file";
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (IOException)
        {
            return null; // the device went away while we looked
        }
    }

    private static void MakeExt4(string image)
    {
        using (var file = new FileStream(image, FileMode.CreateNew)) file.SetLength(16 * 1024 * 1024);
        using var mkfs = Process.Start(new ProcessStartInfo("mkfs.ext4", ["-q", "-F", image]) { RedirectStandardError = true })!;
        mkfs.WaitForExit();
        Assert.True(mkfs.ExitCode == 0, mkfs.StandardError.ReadToEnd());
    }

    [Fact]
    public void Attach_Ext4Image_MountsWritesAndUnmountFreesTheDevice()
    {
        using var temp = new TempDirectory();
        var image = temp.Combine("disk.img");
        MakeExt4(image);
        var target = temp.Combine("mnt");
        Assert.True(_loops.IsImageFile(image));
        Assert.False(_loops.IsImageFile("/dev/null"));
        Assert.False(_loops.IsImageFile(temp.Combine("missing.img")));

        string device;
        try
        {
            using (var loop = _loops.Attach(image, readOnly: false))
            {
                device = loop.DevicePath;
                Assert.Matches("^/dev/loop[0-9]+$", device);
                Assert.Equal(image, BackingFile(device));
                _mounts.Mount(new Mount("ext4", device, target, ["noatime"]));
            }
            // Our descriptor is closed; the mount alone keeps the device.
            Assert.Equal(image, BackingFile(device));
            File.WriteAllText(Path.Combine(target, "hello"), "on ext4");
            Assert.Equal("ext4", MountInfo.ReadSelf().Last(e => e.MountPoint == target).FileSystemType);
        }
        finally
        {
            _mounts.Unmount(target);
        }
        // Autoclear runs when the last reference goes; give the kernel a moment.
        for (var i = 0; i < 50 && BackingFile(device) is not null; i++) Thread.Sleep(20);
        Assert.Null(BackingFile(device));

        // The data is in the image: read-only this time, and an unmounted attachment frees itself on dispose.
        try
        {
            using (var loop = _loops.Attach(image, readOnly: true))
            {
                device = loop.DevicePath;
                Assert.Equal("1", File.ReadAllText($"/sys/block/{Path.GetFileName(device)}/ro").Trim());
                _mounts.Mount(new Mount("ext4", device, target, ["ro"]));
            }
            Assert.Equal("on ext4", File.ReadAllText(Path.Combine(target, "hello")));
        }
        finally
        {
            _mounts.Unmount(target);
        }
        using (var unused = _loops.Attach(image, readOnly: true)) device = unused.DevicePath;
        for (var i = 0; i < 50 && BackingFile(device) is not null; i++) Thread.Sleep(20);
        Assert.Null(BackingFile(device));
    }
}
