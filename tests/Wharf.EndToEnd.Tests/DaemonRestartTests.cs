namespace Wharf.EndToEnd.Tests;

/// <summary>Containers outlive the daemon: SIGKILL wharfd, start it again, and everything is still there.</summary>
public sealed class DaemonRestartTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task KilledDaemon_RestartsWithContainersRunningAndExitsRecorded()
    {
        await _daemon.DockerAsync("run", "-d", "--name", "survivor", "busybox", "sh", "-c", "echo before; trap 'exit 7' TERM; while true; do sleep 0.1; done");
        await _daemon.DockerAsync("run", "-d", "--name", "short", "busybox", "sh", "-c", "sleep 1; exit 42");
        await _daemon.DockerAsync("create", "--name", "never-started", "busybox", "true");

        await _daemon.KillDaemonAsync();
        await Task.Delay(2000); // "short" exits while no daemon is running
        await _daemon.StartDaemonAsync();

        var survivor = await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Running}}", "survivor");
        Assert.Equal("running true\n", survivor.Stdout);
        var shortLived = await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "short");
        Assert.Equal("exited 42\n", shortLived.Stdout);
        var finishedAt = await _daemon.DockerAsync("inspect", "-f", "{{.State.FinishedAt}}", "short");
        Assert.DoesNotContain("0001-01-01", finishedAt.Stdout);
        Assert.Equal("created\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "never-started")).Stdout);
        Assert.Contains("busybox:latest", (await _daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).Stdout);

        var logs = await _daemon.DockerAsync("logs", "survivor");
        Assert.Contains("before", logs.Stdout);
        var stop = await _daemon.DockerAsync("stop", "survivor");
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("7\n", (await _daemon.DockerAsync("wait", "survivor")).Stdout);
    }
}
