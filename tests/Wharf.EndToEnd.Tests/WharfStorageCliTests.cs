namespace Wharf.EndToEnd.Tests;

/// <summary>The wharf CLI's volume, --mount and cp commands against a real wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class WharfStorageCliTests(DaemonFixture daemon)
{
    [Fact]
    public async Task WharfCli_VolumeCommandsMountAndCp_Work()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var volume = "wv-" + suffix;
        var container = "wc-" + suffix;
        var work = Path.Combine(daemon.Root, "wcli-" + suffix);
        Directory.CreateDirectory(work);
        try
        {
            Assert.Equal(volume + "\n", (await daemon.WharfAsync("volume", "create", "--label", "k=v", volume)).Stdout);
            Assert.Contains(volume, (await daemon.WharfAsync("volume", "ls", "-q", "--filter", "label=k=v")).Stdout);
            Assert.Equal($"{volume} local\n", (await daemon.WharfAsync("volume", "inspect", "-f", "{{.Name}} {{.Driver}}", volume)).Stdout);

            var run = await daemon.WharfAsync("run", "--rm", "-v", volume + ":/d", "--mount", "type=tmpfs,dst=/t,tmpfs-size=1m", "busybox",
                "sh", "-c", "echo kept > /d/f; grep ' /t ' /proc/mounts");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("size=1024k", run.Stdout);

            await File.WriteAllTextAsync(Path.Combine(work, "in.txt"), "hello\n");
            Assert.Equal(0, (await daemon.WharfAsync("create", "--name", container, "-v", volume + ":/d", "busybox", "true")).ExitCode);
            var copyIn = await daemon.WharfAsync("cp", Path.Combine(work, "in.txt"), container + ":/in.txt");
            Assert.True(copyIn.ExitCode == 0, copyIn.ToString());
            var copyOut = await daemon.WharfAsync("cp", container + ":/in.txt", Path.Combine(work, "out.txt"));
            Assert.True(copyOut.ExitCode == 0, copyOut.ToString());
            Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(work, "out.txt")));
            Assert.Equal(0, (await daemon.WharfAsync("cp", container + ":/d/f", Path.Combine(work, "f"))).ExitCode);
            Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(work, "f")));

            var busy = await daemon.WharfAsync("volume", "rm", volume);
            Assert.NotEqual(0, busy.ExitCode);
            Assert.Contains("volume is in use", busy.Stderr);
            Assert.Equal(0, (await daemon.WharfAsync("rm", container)).ExitCode);
            Assert.Equal(0, (await daemon.WharfAsync("volume", "rm", volume)).ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", container);
            await daemon.DockerAsync("volume", "rm", "-f", volume);
            Directory.Delete(work, recursive: true);
        }
    }
}
