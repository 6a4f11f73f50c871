using static Wharf.EndToEnd.Tests.Lifecycle.LifecycleWait;

namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>Restart policies with the real docker CLI and with wharf: back-off restarts, RestartCount, what counts
/// as a manual stop, and bad input.</summary>
[Collection(DaemonCollection.Name)]
public sealed class RestartPolicyTests(DaemonFixture daemon)
{
    [Fact]
    public async Task OnFailureWithLimit_RestartsTwiceThenStaysExited_WithStartDiePairs()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        var name = Unique("onfail");
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "--restart", "on-failure:2", "busybox", "false");
        Assert.True(run.ExitCode == 0, run.ToString());
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}} {{.RestartCount}}", name) == "exited 2", TimeSpan.FromSeconds(15), "two restarts");
        Assert.Equal("1 false on-failure 2", await InspectAsync(daemon, "{{.State.ExitCode}} {{.State.Restarting}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", name));
        Assert.Equal("1\n", (await daemon.DockerAsync("wait", name)).Stdout);
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "container=" + name, "--filter", "event=start", "--filter", "event=die", "--format", "{{.Action}}");
        Assert.Equal(["start", "die", "start", "die", "start", "die"], events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // A user's start resets the count, as in Docker.
        await daemon.DockerAsync("start", name);
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}} {{.RestartCount}}", name) == "exited 2", TimeSpan.FromSeconds(15), "two restarts after start");
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task Always_RestartsAfterTheProcessIsKilledOutside_ButNotAfterDockerKillOrStop()
    {
        var name = Unique("always");
        await daemon.DockerAsync("run", "-d", "--name", name, "--restart", "always", "busybox", "sleep", "300");
        var pid = int.Parse(await InspectAsync(daemon, "{{.State.Pid}}", name));
        Assert.True(pid > 0);
        // Killed behind the engine's back (OOM killer, a crash): the policy brings it back.
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString()])) await kill.WaitForExitAsync();
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}} {{.RestartCount}}", name) == "running 1", TimeSpan.FromSeconds(10), "restart after kill -9");
        Assert.NotEqual(pid.ToString(), await InspectAsync(daemon, "{{.State.Pid}}", name));
        Assert.Contains("Up ", (await daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout);

        // docker kill is a user's decision: Docker does not restart after it.
        Assert.Equal(0, (await daemon.DockerAsync("kill", name)).ExitCode);
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}}", name) == "exited", TimeSpan.FromSeconds(10), "exited after docker kill");
        await Task.Delay(1000);
        Assert.Equal("exited 137 1", await InspectAsync(daemon, "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", name));

        // docker start makes the policy apply again; docker stop ends it for good.
        await daemon.DockerAsync("start", name);
        Assert.Equal("true 0", await InspectAsync(daemon, "{{.State.Running}} {{.RestartCount}}", name));
        var stop = await daemon.DockerAsync("stop", "-t", "1", name);
        Assert.Equal(0, stop.ExitCode);
        await Task.Delay(1000);
        Assert.Equal("exited false", await InspectAsync(daemon, "{{.State.Status}} {{.State.Running}}", name));
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task CrashLoop_StopAndRemoveDuringBackoff_CancelTheRestart()
    {
        var name = Unique("loop");
        await daemon.DockerAsync("run", "-d", "--name", name, "--restart", "always", "busybox", "sh", "-c", "exit 3");
        // Five quick failures put the back-off at 1.6 s: the container is "restarting" most of the time.
        await UntilAsync(async () => int.Parse(await InspectAsync(daemon, "{{.RestartCount}}", name)) >= 5, TimeSpan.FromSeconds(15), "crash loop");
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}}", name) == "restarting", TimeSpan.FromSeconds(10), "restarting");
        Assert.Contains("Restarting (3)", (await daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout);
        Assert.Contains(name, (await daemon.DockerAsync("ps", "--filter", "status=restarting", "--format", "{{.Names}}")).Stdout);

        var started = DateTime.UtcNow;
        var stop = await daemon.DockerAsync("stop", name);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "stop of a restarting container must not wait for a timeout");
        var count = await InspectAsync(daemon, "{{.RestartCount}}", name);
        await Task.Delay(2500);
        Assert.Equal($"exited 3 {count}", await InspectAsync(daemon, "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", name));

        // rm -f while restarting.
        await daemon.DockerAsync("start", name);
        await UntilAsync(async () => int.Parse(await InspectAsync(daemon, "{{.RestartCount}}", name)) >= 5, TimeSpan.FromSeconds(15), "crash loop again");
        var rm = await daemon.DockerAsync("rm", "-f", name);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await Task.Delay(2500);
        Assert.DoesNotContain(name, (await daemon.DockerAsync("ps", "-a", "--format", "{{.Names}}")).Stdout);
    }

    [Fact]
    public async Task BadRestartPolicies_AreRefused_AndWharfSetsPolicies()
    {
        var withRm = await daemon.DockerAsync("run", "--rm", "--restart", "always", "busybox", "true");
        Assert.Equal(125, withRm.ExitCode);
        Assert.Contains("conflicting options: cannot specify both --restart and --rm", withRm.Stderr);
        var rmRaw = await PostCreateAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"AutoRemove":true,"RestartPolicy":{"Name":"always"}}}""");
        Assert.Equal(400, (int)rmRaw.Status);
        Assert.Contains("can't create 'AutoRemove' container with restart policy", rmRaw.Body);
        var raw = await PostCreateAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"RestartPolicy":{"Name":"sometimes"}}}""");
        Assert.Equal(400, (int)raw.Status);
        Assert.Contains("invalid restart policy", raw.Body);
        var count = await PostCreateAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"RestartPolicy":{"Name":"always","MaximumRetryCount":3}}}""");
        Assert.Equal(400, (int)count.Status);
        Assert.Contains("maximum retry count can only be used with 'on-failure'", count.Body);

        var wharfRm = await daemon.WharfAsync("run", "--rm", "--restart", "always", "busybox", "true");
        Assert.Equal(125, wharfRm.ExitCode);
        Assert.Contains("conflicting options: cannot specify both --restart and --rm", wharfRm.Stderr);

        var name = Unique("wharf-onfail");
        var run = await daemon.WharfAsync("run", "-d", "--name", name, "--restart", "on-failure:1", "busybox", "sh", "-c", "exit 4");
        Assert.True(run.ExitCode == 0, run.ToString());
        await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Status}} {{.RestartCount}}", name) == "exited 1", TimeSpan.FromSeconds(15), "one restart");
        var inspect = await daemon.WharfAsync("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.RestartCount}}", name);
        Assert.Equal("on-failure:1 1\n", inspect.Stdout);
        await daemon.DockerAsync("rm", name);
    }

    private async Task<(System.Net.HttpStatusCode Status, string Body)> PostCreateAsync(string json)
    {
        using var client = daemon.CreateHttpClient();
        using var response = await client.PostAsync("containers/create", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        // The body is {"message": ...}; decode it so JSON escapes (\u0027 for ') do not matter.
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("message").GetString() ?? "");
    }
}
