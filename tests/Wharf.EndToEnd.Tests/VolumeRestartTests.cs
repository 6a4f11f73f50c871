namespace Wharf.EndToEnd.Tests;

/// <summary>Volumes outlive the daemon: stopped gracefully or killed, wharfd comes back on the same data root with
/// the volume listed (labels included), its data readable by a new container, and still refusing (409) to remove
/// it while a container uses it.</summary>
public sealed class VolumeRestartTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await _daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}\n{_daemon.DaemonLog()[^Math.Min(2000, _daemon.DaemonLog().Length)..]}");
        return r;
    }

    private async Task AssertSurvivedAsync(string volume, string expectedData)
    {
        var listed = await OkAsync("volume", "ls", "--filter", "label=suite=restart", "--format", "{{.Name}} {{.Driver}} {{.Labels}}");
        Assert.Equal($"{volume} local suite=restart\n", listed.Stdout);
        var read = await OkAsync("run", "--rm", "-v", volume + ":/data", "busybox", "cat", "/data/file");
        Assert.Equal(expectedData, read.Stdout);
        var busy = await _daemon.DockerAsync("volume", "rm", volume);
        Assert.NotEqual(0, busy.ExitCode);
        Assert.Contains($"remove {volume}: volume is in use", busy.Stderr);
        using var api = _daemon.CreateHttpClient();
        using var response = await api.DeleteAsync("/volumes/" + volume);
        Assert.Equal(409, (int)response.StatusCode);
    }

    [Fact]
    public async Task Volume_SurvivesGracefulStopAndKill_WithLabelsDataAndInUseState()
    {
        const string volume = "persisted";
        await OkAsync("volume", "create", "--label", "suite=restart", volume);
        await OkAsync("run", "--name", "writer", "-v", volume + ":/data", "busybox", "sh", "-c", "echo first > /data/file");

        await _daemon.StopDaemonAsync();
        await _daemon.StartDaemonAsync();
        await AssertSurvivedAsync(volume, "first\n");

        // A running user while the daemon is killed outright: the data it wrote is there afterwards.
        await OkAsync("run", "-d", "--name", "runner", "-v", volume + ":/data", "busybox", "sh", "-c", "echo second > /data/file; sleep 60");
        for (var i = 0; i < 50 && (await _daemon.DockerAsync("exec", "runner", "cat", "/data/file")).Stdout != "second\n"; i++) await Task.Delay(100);
        await _daemon.KillDaemonAsync();
        await _daemon.StartDaemonAsync();
        await AssertSurvivedAsync(volume, "second\n");

        await OkAsync("rm", "-f", "writer", "runner");
        await OkAsync("volume", "rm", volume);
    }
}
