namespace Wharf.EndToEnd.Tests;

/// <summary>An image whose /etc/passwd is a FIFO: `run -u name` answers at once with Docker's error (it blocked the
/// daemon in open() until someone wrote to the FIFO), and the container it created is removed at once.</summary>
[Collection(DaemonCollection.Name)]
public sealed class HostileImageTests(DaemonFixture daemon)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsNamedUser_PasswdIsAFifo_FailsAtOnceAndTheContainerIsRemovable()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tag = "e2e/fifo-passwd:" + suffix;
        var context = Path.Combine(daemon.Root, "fifo-passwd-" + suffix);
        Directory.CreateDirectory(context);
        var name = "fifo-" + suffix;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN rm /etc/passwd && mkfifo /etc/passwd\n");
            var env = new Dictionary<string, string>(daemon.Env) { ["DOCKER_BUILDKIT"] = "0" };
            var build = await CommandRunner.RunAsync(TestBinaries.Docker, ["build", "-q", "-t", tag, context], env, timeout: TimeSpan.FromSeconds(120));
            Assert.True(build.ExitCode == 0, build.ToString());

            var run = await daemon.DockerAsync("run", "--name", name, "-u", "app", tag, "true").WaitAsync(Patience);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("unable to find user app: no matching entries in passwd file", run.Stderr, StringComparison.Ordinal);

            var remove = await daemon.DockerAsync("rm", "-f", name).WaitAsync(Patience);
            Assert.True(remove.ExitCode == 0, remove.ToString());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            await daemon.DockerAsync("rmi", "-f", tag);
            Directory.Delete(context, recursive: true);
        }
    }
}
