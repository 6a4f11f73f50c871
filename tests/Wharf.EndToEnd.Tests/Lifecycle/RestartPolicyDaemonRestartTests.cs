using static Wharf.EndToEnd.Tests.Lifecycle.LifecycleWait;

namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>Restart policies across a daemon restart, as dockerd applies them when it starts.</summary>
public sealed class RestartPolicyDaemonRestartTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DaemonRestart_StartsAlwaysAndOnFailure_KeepsManuallyStoppedUnlessStopped()
    {
        await _daemon.DockerAsync("run", "-d", "--name", "always-stopped", "--restart", "always", "busybox", "sleep", "300");
        await _daemon.DockerAsync("run", "-d", "--name", "unless-stopped", "--restart", "unless-stopped", "busybox", "sleep", "300");
        await _daemon.DockerAsync("run", "-d", "--name", "unless-running", "--restart", "unless-stopped", "busybox", "sh", "-c", "sleep 1; exit 5");
        await _daemon.DockerAsync("run", "-d", "--name", "onfail-dies", "--restart", "on-failure", "busybox", "sh", "-c", "sleep 1; exit 3");
        await _daemon.DockerAsync("run", "-d", "--name", "no-policy", "busybox", "sh", "-c", "sleep 1; exit 3");
        Assert.Equal(0, (await _daemon.DockerAsync("stop", "-t", "1", "always-stopped")).ExitCode);
        Assert.Equal(0, (await _daemon.DockerAsync("stop", "-t", "1", "unless-stopped")).ExitCode);

        await _daemon.KillDaemonAsync();
        await Task.Delay(1500); // the short-lived ones exit while no daemon runs
        await _daemon.StartDaemonAsync();

        await UntilAsync(async () => await InspectAsync(_daemon, "{{.State.Running}}", "always-stopped") == "true", TimeSpan.FromSeconds(10), "always restarted");
        await UntilAsync(async () => (await InspectAsync(_daemon, "{{.State.Status}}", "onfail-dies")) is "running" or "restarting" && int.Parse(await InspectAsync(_daemon, "{{.RestartCount}}", "onfail-dies")) >= 1,
            TimeSpan.FromSeconds(10), "on-failure restarted");
        await UntilAsync(async () => await InspectAsync(_daemon, "{{.RestartCount}}", "unless-running") != "0", TimeSpan.FromSeconds(10), "unless-stopped (not stopped by hand) restarted");
        Assert.Equal("exited", await InspectAsync(_daemon, "{{.State.Status}}", "unless-stopped"));
        Assert.Equal("exited 3", await InspectAsync(_daemon, "{{.State.Status}} {{.State.ExitCode}}", "no-policy"));
    }
}
