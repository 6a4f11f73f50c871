namespace Wharf.EndToEnd.Tests;

/// <summary>Logging drivers (json-file rotation, local, none) and docker logs options across rotated files.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogDriverTests(DaemonFixture daemon)
{
    private static string Name(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Logs_JsonFileRotation_KeepsMaxFilesAndReadsAcrossThem()
    {
        var name = Name("rotate");
        var run = await daemon.DockerAsync("run", "--name", name, "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "--log-opt", "compress=true",
            "busybox", "sh", "-c", "for i in $(seq 1 200); do echo line-$i; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var id = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();
            var dir = Path.Combine(daemon.DataRoot, "containers", id);
            var files = Directory.GetFiles(dir, id + "-json.log*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([id + "-json.log", id + "-json.log.1.gz", id + "-json.log.2.gz"], files);
            Assert.All(files, f => Assert.True(new FileInfo(Path.Combine(dir, f!)).Length <= 2048));

            var logs = await daemon.DockerAsync("logs", name);
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("line-200", lines[^1]);
            var first = int.Parse(lines[0]["line-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(first > 1, "the oldest lines must have been rotated away");
            Assert.Equal(Enumerable.Range(first, 201 - first).Select(i => $"line-{i}"), lines);

            var tail = await daemon.DockerAsync("logs", "--tail", "3", "-t", name);
            var tailLines = tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, tailLines.Length);
            Assert.EndsWith("Z line-198", tailLines[0]);

            var future = await daemon.DockerAsync("logs", "--since", "2099-01-01T00:00:00Z", name);
            Assert.Equal("", future.Stdout);
            var past = await daemon.DockerAsync("logs", "--until", "2000-01-01T00:00:00Z", name);
            Assert.Equal("", past.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Logs_FollowThroughRotation_SeesEveryLineOnce()
    {
        var name = Name("follow");
        var start = await daemon.DockerAsync("run", "-d", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=20",
            "busybox", "sh", "-c", "sleep 0.5; for i in $(seq 1 80); do echo follow-line-$i; sleep 0.02; done");
        Assert.True(start.ExitCode == 0, start.ToString());
        try
        {
            var follow = await daemon.WharfAsync("logs", "-f", name);
            Assert.True(follow.ExitCode == 0, follow.ToString());
            Assert.Equal(Enumerable.Range(1, 80).Select(i => $"follow-line-{i}"), follow.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Logs_DriversNoneLocalAndDetails_BehaveLikeDocker()
    {
        var none = Name("none");
        var local = Name("local");
        var details = Name("details");
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("run", "--name", none, "--log-driver", "none", "busybox", "echo", "gone")).ExitCode);
            var noneLogs = await daemon.DockerAsync("logs", none);
            Assert.NotEqual(0, noneLogs.ExitCode);
            Assert.Contains("configured logging driver does not support reading", noneLogs.Stderr);

            Assert.Equal(0, (await daemon.DockerAsync("run", "--name", local, "--log-driver", "local", "busybox", "sh", "-c", "echo one; echo two >&2")).ExitCode);
            var localLogs = await daemon.DockerAsync("logs", local);
            Assert.Equal("one\n", localLogs.Stdout);
            Assert.Equal("two\n", localLogs.Stderr);
            var localId = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", local)).Stdout.Trim();
            Assert.True(File.Exists(Path.Combine(daemon.DataRoot, "containers", localId, "local-logs", "container.log")));
            Assert.Equal("local|\n", (await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.LogConfig.Type}}|{{.LogPath}}", local)).Stdout);

            Assert.Equal(0, (await daemon.DockerAsync("run", "--name", details, "--label", "team=blue", "-e", "STAGE=prod",
                "--log-opt", "labels=team", "--log-opt", "env=STAGE", "busybox", "echo", "with attrs")).ExitCode);
            var withDetails = await daemon.DockerAsync("logs", "--details", details);
            Assert.Equal("STAGE=prod,team=blue with attrs\n", withDetails.Stdout);
            var wharfDetails = await daemon.WharfAsync("logs", "--details", details);
            Assert.Equal("STAGE=prod,team=blue with attrs\n", wharfDetails.Stdout);
            Assert.Equal("with attrs\n", (await daemon.DockerAsync("logs", details)).Stdout);

            var unknown = await daemon.DockerAsync("run", "--rm", "--log-driver", "nosuchdriver", "busybox", "true");
            Assert.Equal(125, unknown.ExitCode);
            Assert.Contains("logger: no log driver named 'nosuchdriver' is registered", unknown.Stderr);
            var badOpt = await daemon.DockerAsync("run", "--rm", "--log-opt", "max-size=lots", "busybox", "true");
            Assert.Equal(125, badOpt.ExitCode);
            Assert.Contains("invalid size: 'lots'", badOpt.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", none, local, details);
        }
    }
}
