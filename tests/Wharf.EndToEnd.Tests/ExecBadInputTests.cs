using System.Net.Http.Json;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>The bad-input list for exec: a paused or stopped container refuses with 409 and Docker's wording;
/// an exec killed by the OOM killer, or cut off by the container being killed, leaves the daemon consistent (the
/// container keeps running / can be started again and exec works again).</summary>
[Collection(DaemonCollection.Name)]
public sealed class ExecBadInputTests(DaemonFixture daemon)
{
    private static async Task<(int Status, string Message)> CreateExecAsync(HttpClient http, string container)
    {
        using var response = await http.PostAsync($"/v1.50/containers/{container}/exec",
            new StringContent("""{"Cmd":["true"],"AttachStdout":true}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, body.TryGetProperty("message", out var m) ? m.GetString()! : "");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 20 s");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Exec_PausedStoppedOomAndKilledMidway_409sAndDaemonStaysConsistent()
    {
        var name = "exec-bad-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "-m", "16m", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Stdout.Trim();
        using var http = daemon.CreateHttpClient();
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("pause", name)).ExitCode);
            var paused = await CreateExecAsync(http, name);
            Assert.Equal((409, $"container {id} is paused, unpause the container before exec"), paused);
            var cliPaused = await daemon.DockerAsync("exec", name, "true");
            Assert.NotEqual(0, cliPaused.ExitCode);
            Assert.Contains("is paused, unpause the container before exec", cliPaused.Stderr);
            Assert.Equal(0, (await daemon.DockerAsync("unpause", name)).ExitCode);

            // The exec is what the OOM killer picks: it dies with 137, the container (its init) runs on.
            var hog = await daemon.DockerAsync("exec", name, "sh", "-c", "x=a; while true; do x=$x$x; done");
            Assert.Equal(137, hog.ExitCode);
            Assert.Equal("true\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout);
            Assert.Equal("still-here\n", (await daemon.DockerAsync("exec", name, "echo", "still-here")).Stdout);

            // The container is killed while an attached exec runs: the exec ends, nothing is left running.
            var midway = daemon.DockerAsync("exec", name, "sh", "-c", "echo started; sleep 120");
            await WaitForAsync(async () => (await daemon.DockerAsync("top", name)).Stdout.Contains("sleep 120", StringComparison.Ordinal));
            Assert.Equal(0, (await daemon.DockerAsync("kill", name)).ExitCode);
            var cut = await midway.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotEqual(0, cut.ExitCode);
            Assert.Equal("started\n", cut.Stdout);
            await WaitForAsync(async () => (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout == "false\n");

            var stopped = await CreateExecAsync(http, name);
            Assert.Equal((409, $"container {id} is not running"), stopped);

            // The daemon's record is consistent: the container starts again and exec works.
            Assert.Equal(0, (await daemon.DockerAsync("start", name)).ExitCode);
            Assert.Equal("again\n", (await daemon.DockerAsync("exec", name, "echo", "again")).Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
