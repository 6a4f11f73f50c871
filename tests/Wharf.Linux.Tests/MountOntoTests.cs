using Wharf.Linux.Files;

namespace Wharf.Linux.Tests;

/// <summary>docker cp into a stopped container assembles its root and mounts its volumes and binds at their
/// destinations. A destination below another volume passes through that volume's content, which a running container
/// sharing it can change: here it has made the directory a link to the host. The mount must land inside the root, on
/// what the link names there, and never on the host's directory.</summary>
public sealed class MountOntoTests
{
    private readonly ThreadRootConfinement _confinement = new();

    [Fact]
    public async Task DestinationThroughALinkToTheHost_IsMountedInsideTheRoot()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        var host = Directory.CreateDirectory(temp.Combine("host")).FullName;
        var source = Directory.CreateDirectory(temp.Combine("source")).FullName;
        File.WriteAllText(Path.Combine(source, "from-source"), "x");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        // The shared volume's directory, swapped for an absolute link to the host's directory.
        File.CreateSymbolicLink(Path.Combine(root, "data", "sub"), host);
        // Inside the root the link's target exists too (as a container's own directory would), so the mount can land.
        var inside = Path.Combine(root, host.TrimStart('/'), "mnt");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        try
        {
            await _confinement.MountOntoAsync(root, "/data/sub/mnt", source, readOnly: true);

            Assert.False(Directory.Exists(Path.Combine(host, "mnt")), "the mount point was made on the host");
            Assert.Empty(Directory.EnumerateFileSystemEntries(host));
            Assert.True(File.Exists(Path.Combine(inside, "from-source")), "the source is not mounted inside the root");
            Assert.Throws<IOException>(() => File.WriteAllText(Path.Combine(inside, "written"), "y")); // read-only
        }
        finally
        {
            MountCleanup.DetachUnder(root);
        }
    }

    [Fact]
    public async Task FileSource_MakesAnEmptyFileToMountOnto_ReadWrite()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        var source = temp.Combine("hosts");
        // Docker's order: a file mount point is made (empty) where the container has none.
        File.WriteAllText(source, "127.0.0.1 localhost\n");
        try
        {
            await _confinement.MountOntoAsync(root, "/etc/hosts", source, readOnly: false);

            Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(root, "etc", "hosts")));
            File.AppendAllText(Path.Combine(root, "etc", "hosts"), "10.0.0.1 db\n");
            Assert.EndsWith("10.0.0.1 db\n", File.ReadAllText(source));
        }
        finally
        {
            MountCleanup.DetachUnder(root);
        }
    }
}

/// <summary>Detaches every mount under a test's directory, deepest first, so a failed assertion leaves none behind.</summary>
internal static class MountCleanup
{
    public static void DetachUnder(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        var points = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in points)
            new LinuxMountOps().Unmount(point);
    }
}
