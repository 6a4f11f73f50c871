using static Wharf.EndToEnd.Tests.Lifecycle.LifecycleWait;

namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>Health checks run inside the container: starting → healthy → unhealthy, seen through inspect, ps
/// (status text and health filter), events, with docker and wharf.</summary>
[Collection(DaemonCollection.Name)]
public sealed class HealthcheckTests(DaemonFixture daemon)
{
    [Fact]
    public async Task HealthCmd_GoesStartingHealthyUnhealthy_InInspectPsFiltersAndEvents()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        var name = Unique("health");
        // The check passes once the file exists (after ~3 s) and fails again once it is gone (after ~6 s). The start
        // period keeps the early failures from counting (as in Docker; without it two failures would already make
        // the container unhealthy before the file exists).
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "test -f /tmp/ok && echo fine",
            "--health-interval", "1s", "--health-retries", "2", "--health-timeout", "5s", "--health-start-period", "20s", "--health-start-interval", "1s",
            "busybox", "sh", "-c", "sleep 3; touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 300");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            Assert.Equal("starting", await InspectAsync(daemon, "{{.State.Health.Status}}", name));
            Assert.EndsWith("(health: starting)", (await daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout.TrimEnd());
            Assert.Contains(name, (await daemon.DockerAsync("ps", "--filter", "health=starting", "--format", "{{.Names}}")).Stdout);
            Assert.Equal("[CMD-SHELL test -f /tmp/ok && echo fine] 1s 2", await InspectAsync(daemon, "{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}}", name));

            await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Health.Status}}", name) == "healthy", TimeSpan.FromSeconds(10), "healthy");
            Assert.EndsWith("(healthy)", (await daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout.TrimEnd());
            Assert.Contains(name, (await daemon.DockerAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}")).Stdout);
            Assert.DoesNotContain(name, (await daemon.DockerAsync("ps", "--filter", "health=none", "--format", "{{.Names}}")).Stdout);
            Assert.EndsWith("(healthy)", (await daemon.WharfAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout.TrimEnd());
            var log = await InspectAsync(daemon, "{{range .State.Health.Log}}{{.ExitCode}}:{{.Output}}|{{end}}", name);
            Assert.Contains("1:|", log);
            Assert.Contains("0:fine\n|", log);

            await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Health.Status}}", name) == "unhealthy", TimeSpan.FromSeconds(10), "unhealthy");
            Assert.True(int.Parse(await InspectAsync(daemon, "{{.State.Health.FailingStreak}}", name)) >= 2);
            Assert.True(int.Parse(await InspectAsync(daemon, "{{len .State.Health.Log}}", name)) <= 5);
            Assert.Contains(name, (await daemon.DockerAsync("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).Stdout);

            var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
            var events = await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "container=" + name, "--format", "{{.Action}}");
            var health = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(a => a.StartsWith("health_status", StringComparison.Ordinal)).ToList();
            Assert.Equal(["health_status: healthy", "health_status: unhealthy"], health);

            Assert.Equal(0, (await daemon.DockerAsync("stop", "-t", "1", name)).ExitCode);
            Assert.Equal("unhealthy", await InspectAsync(daemon, "{{.State.Health.Status}}", name));
            var bad = await daemon.DockerAsync("ps", "-a", "--filter", "health=sick");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("Unrecognised filter value for health: sick", bad.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task WharfHealthFlags_CreateTheCheck_AndATimeoutIsReported()
    {
        var name = Unique("wharf-health");
        var run = await daemon.WharfAsync("run", "-d", "--name", name, "--health-cmd", "sleep 5", "--health-interval", "1s",
            "--health-timeout", "1s", "--health-retries", "1", "--health-start-period", "1m", "--health-start-interval", "1s", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            Assert.Equal("[CMD-SHELL sleep 5] 1s 1s 1m0s 1s 1", await InspectAsync(daemon,
                "{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.StartPeriod}} {{.Config.Healthcheck.StartInterval}} {{.Config.Healthcheck.Retries}}", name));
            await UntilAsync(async () => await InspectAsync(daemon, "{{len .State.Health.Log}}", name) is not ("0" or ""), TimeSpan.FromSeconds(10), "first probe");
            Assert.Equal("-1:Health check exceeded timeout (1s)", await InspectAsync(daemon, "{{with index .State.Health.Log 0}}{{.ExitCode}}:{{.Output}}{{end}}", name));
            // Inside the start period a failure does not count yet.
            Assert.Equal("starting 0", await InspectAsync(daemon, "{{.State.Health.Status}} {{.State.Health.FailingStreak}}", name));
            var conflict = await daemon.WharfAsync("run", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
            Assert.NotEqual(0, conflict.ExitCode);
            Assert.Contains("--no-healthcheck conflicts with --health-* options", conflict.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
