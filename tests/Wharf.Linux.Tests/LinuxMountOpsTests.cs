using Wharf.Core;

namespace Wharf.Linux.Tests;

public sealed class LinuxMountOpsTests
{
    private readonly LinuxMountOps _ops = new();

    [Fact]
    public void Mount_Tmpfs_IsMountedWritableThenUnmounted()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("tmpfs", "nested"); // Mount creates the missing directories
        try
        {
            _ops.Mount(new Mount("tmpfs", "tmpfs", target, ["nosuid", "size=1m"]));

            Assert.True(_ops.IsMounted(target));
            Assert.True(_ops.IsMounted(target + "/"));
            var entry = Mounts.MountInfo.ReadSelf().Last(e => e.MountPoint == target);
            Assert.Equal("tmpfs", entry.FileSystemType);
            Assert.Contains("nosuid", entry.Options.Split(','));
            File.WriteAllText(System.IO.Path.Combine(target, "f"), "x");
        }
        finally
        {
            _ops.Unmount(target);
        }
        Assert.False(_ops.IsMounted(target));
        Assert.False(File.Exists(System.IO.Path.Combine(target, "f")));
    }

    [Fact]
    public void Mount_Overlay_MergesLowerLayersAndWritesToUpper()
    {
        using var temp = new TempDirectory();
        var lower1 = Directory.CreateDirectory(temp.Combine("l1")).FullName;
        var lower2 = Directory.CreateDirectory(temp.Combine("l2")).FullName;
        var upper = Directory.CreateDirectory(temp.Combine("upper")).FullName;
        var work = Directory.CreateDirectory(temp.Combine("work")).FullName;
        var merged = temp.Combine("merged");
        File.WriteAllText(System.IO.Path.Combine(lower1, "a"), "top");
        File.WriteAllText(System.IO.Path.Combine(lower2, "a"), "bottom");
        File.WriteAllText(System.IO.Path.Combine(lower2, "b"), "only-bottom");
        try
        {
            _ops.Mount(new Mount("overlay", "overlay", merged, [$"lowerdir={lower1}:{lower2}", $"upperdir={upper}", $"workdir={work}"]));

            Assert.True(_ops.IsMounted(merged));
            Assert.Equal("top", File.ReadAllText(System.IO.Path.Combine(merged, "a")));
            Assert.Equal("only-bottom", File.ReadAllText(System.IO.Path.Combine(merged, "b")));
            File.WriteAllText(System.IO.Path.Combine(merged, "c"), "new");
            Assert.Equal("new", File.ReadAllText(System.IO.Path.Combine(upper, "c")));
        }
        finally
        {
            _ops.Unmount(merged);
        }
        Assert.False(_ops.IsMounted(merged));
    }

    [Fact]
    public void Mount_BindReadOnly_RejectsWrites()
    {
        using var temp = new TempDirectory();
        var source = Directory.CreateDirectory(temp.Combine("src")).FullName;
        File.WriteAllText(System.IO.Path.Combine(source, "f"), "data");
        var target = temp.Combine("dst");
        try
        {
            _ops.Mount(new Mount("bind", source, target, ["rbind", "ro"]));

            Assert.Equal("data", File.ReadAllText(System.IO.Path.Combine(target, "f")));
            Assert.ThrowsAny<IOException>(() => File.WriteAllText(System.IO.Path.Combine(target, "g"), "x"));
        }
        finally
        {
            _ops.Unmount(target);
        }
        Assert.False(_ops.IsMounted(target));
    }

    [Fact]
    public void Unmount_NotMounted_IsNotAnError()
    {
        using var temp = new TempDirectory();

        _ops.Unmount(temp.Path);
        _ops.Unmount(temp.Combine("does-not-exist"));

        Assert.False(_ops.IsMounted(temp.Path));
    }

    [Fact]
    public void Mount_BadFilesystem_ThrowsSyscallExceptionNamingTarget()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("x");

        var e = Assert.Throws<SyscallException>(() => _ops.Mount(new Mount("no-such-fs", "none", target, [])));

        Assert.Equal(target, e.Path);
        Assert.Contains("mount", e.Operation, StringComparison.Ordinal);
        Assert.NotEqual(0, e.Errno);
    }
}
