using System.Formats.Tar;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Engine.Content;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Snapshots;

/// <summary>Privileged (root): mounts what the snapshotter returns with the real kernel overlayfs.</summary>
public sealed class OverlayMountPrivilegedTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PrepareContainerLayer_MountedWithKernelOverlay_TopLayerWinsWhiteoutHidesAndWritesGoUp()
    {
        if (Environment.UserName != "root") return;
        var content = new ContentStore(_dir.Path);
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)Convert.ToInt32("666", 8) };
        var owned = new PaxTarEntry(TarEntryType.RegularFile, "home/user/file") { Uid = 1234, Gid = 4321, Mode = (UnixFileMode)Convert.ToInt32("4750", 8), DataStream = new MemoryStream("o"u8.ToArray()) };
        var bottom = new TarBuilder().File("shared", "bottom").File("base-only", "base").File("doomed", "x").Add(device).Add(owned)
            .File("bin/busybox", "BB", (UnixFileMode)Convert.ToInt32("755", 8)).HardLink("bin/ls", "bin/busybox").Build();
        var top = new TarBuilder().File("shared", "top").File(".wh.doomed", "").Build();
        var diffIds = new[] { content.Write(bottom).Value, content.Write(top).Value };
        var image = new ImageRecord(Digest.Compute("c"u8), new ImageConfig { RootFs = new RootFs { DiffIds = diffIds } }, [], 0, DateTimeOffset.UnixEpoch, null);
        var snapshots = new OverlaySnapshotter(_dir.Path, new CommandLineFileSystemOps());
        var target = _dir.Combine("rootfs");
        Directory.CreateDirectory(target);

        var mount = snapshots.PrepareContainerLayer("priv", image, target);
        CommandLineFileSystemOps.Run("mount", "-t", mount.Type, mount.Source, "-o", string.Join(',', mount.Options), mount.Target);
        try
        {
            Assert.Equal("top", File.ReadAllText(Path.Combine(target, "shared")));
            Assert.Equal("base", File.ReadAllText(Path.Combine(target, "base-only")));
            Assert.False(File.Exists(Path.Combine(target, "doomed")));
            Assert.Equal("BB", File.ReadAllText(Path.Combine(target, "bin/ls")));
            // owner, octal mode incl. setuid, device numbers (hex) and link count, as stat(1) reports them
            Assert.Equal("1234:4321 4750", CommandLineFileSystemOps.Capture("stat", "-c", "%u:%g %a", Path.Combine(target, "home/user/file")));
            Assert.Equal("character special file 1:3", CommandLineFileSystemOps.Capture("stat", "-c", "%F %t:%T", Path.Combine(target, "dev/null")));
            Assert.Equal("2", CommandLineFileSystemOps.Capture("stat", "-c", "%h", Path.Combine(snapshots.LayerPath(Digest.Parse(diffIds[0])), "bin/busybox")));
            File.WriteAllText(Path.Combine(target, "new"), "written");
            Assert.Equal("written", File.ReadAllText(Path.Combine(snapshots.UpperPath("priv"), "new")));
        }
        finally
        {
            CommandLineFileSystemOps.Run("umount", target);
        }
    }
}
