namespace Wharf.EndToEnd.Tests;

/// <summary>Our own CLI against the same daemon.</summary>
[Collection(DaemonCollection.Name)]
public sealed class WharfCliTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Run_Foreground_OutputAndExitCode()
    {
        var ok = await daemon.WharfAsync("run", "--rm", "busybox", "echo", "Hello from Wharf");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("Hello from Wharf\n", ok.Stdout);
        var failing = await daemon.WharfAsync("run", "--rm", "busybox", "sh", "-c", "exit 4");
        Assert.Equal(4, failing.ExitCode);
        var missing = await daemon.WharfAsync("run", "--rm", "busybox", "nope-not-here");
        Assert.Equal(127, missing.ExitCode);
    }

    [Fact]
    public async Task DetachedLifecycle_PsLogsStopRm()
    {
        var name = "wharf-cli-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.WharfAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "echo hi; sleep 300");
        Assert.True(run.ExitCode == 0, run.ToString());
        var ps = await daemon.WharfAsync("ps", "--format", "{{.Names}}");
        Assert.Contains(name, ps.Stdout);
        var table = await daemon.WharfAsync("ps");
        Assert.StartsWith("CONTAINER ID   IMAGE", table.Stdout);
        await Task.Delay(300);
        Assert.Contains("hi", (await daemon.WharfAsync("logs", name)).Stdout);
        Assert.Equal(0, (await daemon.WharfAsync("stop", "-t", "1", name)).ExitCode);
        Assert.Equal(0, (await daemon.WharfAsync("rm", name)).ExitCode);
        var gone = await daemon.WharfAsync("inspect", name);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("No such", gone.Stderr);
    }

    [Fact]
    public async Task Version_ShowsClientAndServer_AndImagesTable()
    {
        var version = await daemon.WharfAsync("version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Contains("Client", version.Stdout);
        Assert.Contains("Server", version.Stdout);
        Assert.Contains("1.50", version.Stdout);
        var images = await daemon.WharfAsync("images");
        Assert.StartsWith("REPOSITORY", images.Stdout);
        Assert.Contains("busybox", images.Stdout);
    }
}
