namespace Wharf.EndToEnd.Tests;

[Collection(DaemonCollection.Name)]
public sealed class ImageAndSystemTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Import_WithChanges_TagInspectAndRmi()
    {
        var tar = Path.Combine(daemon.Root, "rootfs-" + Guid.NewGuid().ToString("N")[..6] + ".tar");
        var make = await CommandRunner.RunAsync("bash", ["-c", $"'{TestBinaries.BusyboxRootfsScript}' > '{tar}'"], daemon.Env);
        Assert.Equal(0, make.ExitCode);
        var import = await daemon.DockerAsync("import", "-c", "ENV GREETING=hi", "-c", "CMD [\"sh\", \"-c\", \"echo $GREETING\"]", "-c", "WORKDIR /tmp",
            "-m", "test import", tar, "e2e/imported:v1");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", import.Stdout);

        var run = await daemon.DockerAsync("run", "--rm", "e2e/imported:v1");
        Assert.Equal("hi\n", run.Stdout);
        var inspect = await daemon.DockerAsync("image", "inspect", "-f", "{{.Config.WorkingDir}} {{index .RepoTags 0}} {{len .RootFS.Layers}} {{.Os}}", "e2e/imported:v1");
        Assert.Equal("/tmp e2e/imported:v1 1 linux\n", inspect.Stdout);

        Assert.Equal(0, (await daemon.DockerAsync("tag", "e2e/imported:v1", "e2e/other:latest")).ExitCode);
        var images = await daemon.DockerAsync("images", "e2e/other");
        Assert.Contains("e2e/other", images.Stdout);

        await daemon.DockerAsync("create", "--name", "uses-image-" + Path.GetFileNameWithoutExtension(tar), "e2e/other");
        var id = import.Stdout.Trim();
        var conflict = await daemon.DockerAsync("rmi", id);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.Stderr);
        await daemon.DockerAsync("rm", "uses-image-" + Path.GetFileNameWithoutExtension(tar));

        var untag = await daemon.DockerAsync("rmi", "e2e/other");
        Assert.Contains("Untagged: e2e/other:latest", untag.Stdout);
        var delete = await daemon.DockerAsync("rmi", "e2e/imported:v1");
        Assert.Contains("Deleted: " + id, delete.Stdout);
        Assert.NotEqual(0, (await daemon.DockerAsync("image", "inspect", id)).ExitCode);
    }

    [Fact]
    public async Task Import_KeepsOwnershipAndSpecialFiles()
    {
        var work = Path.Combine(daemon.Root, "owned-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(work, "src", "home"));
        var script = $"""
            set -e
            '{TestBinaries.BusyboxRootfsScript}' > '{work}/rootfs.tar'
            cd '{work}/src'
            echo data > home/data.txt
            mkfifo home/pipe
            tar --append -f ../rootfs.tar --owner=1000 --group=1001 --numeric-owner home/data.txt
            tar --append -f ../rootfs.tar --owner=0 --group=0 --numeric-owner home/pipe
            """;
        var make = await CommandRunner.RunAsync("bash", ["-c", script], daemon.Env);
        Assert.True(make.ExitCode == 0, make.ToString());
        var import = await daemon.DockerAsync("import", Path.Combine(work, "rootfs.tar"), "e2e/owned:1");
        Assert.True(import.ExitCode == 0, import.ToString());

        var run = await daemon.DockerAsync("run", "--rm", "e2e/owned:1", "sh", "-c", "stat -c '%u:%g' /home/data.txt; stat -c %F /home/pipe");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1000:1001\nfifo\n", run.Stdout);
        await daemon.DockerAsync("rmi", "e2e/owned:1");
    }

    [Fact]
    public async Task VersionAndInfo_ReportTrueFigures()
    {
        var version = await daemon.DockerAsync("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}");
        Assert.Equal("1.50 linux\n", version.Stdout);
        var info = await daemon.DockerAsync("info", "--format", "{{.Driver}}|{{.CgroupVersion}}|{{.NCPU}}|{{.DockerRootDir}}|{{.OSType}}");
        Assert.Equal($"overlay2|{ExpectedCgroupVersion()}|{Environment.ProcessorCount}|{daemon.DataRoot}|linux\n", info.Stdout);
        var name = "info-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        var counts = await daemon.DockerAsync("info", "--format", "{{.ContainersRunning}}");
        Assert.True(int.Parse(counts.Stdout.Trim()) >= 1);
        await daemon.DockerAsync("rm", "-f", name);
    }

    private static string ExpectedCgroupVersion() =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == "/sys/fs/cgroup" && l.Contains(" - cgroup2 ", StringComparison.Ordinal)) ? "2" : "1";
}
