namespace Wharf.EndToEnd.Tests;

/// <summary>Other host users see nothing of the daemon's state: not the data root (container configs with their
/// Env, logs, layers) nor the exec root, and cannot run a setuid file a container made (CVE-2021-41091 class).
/// Runs as root and drops to nobody with setpriv for each probe.</summary>
[Collection(DaemonCollection.Name)]
public sealed class HostPermissionsTests(DaemonFixture daemon)
{
    private static readonly string[] AsNobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];

    [Fact]
    public async Task DataAndExecRoot_AsOtherHostUser_NothingListableOrReadableAndContainerSetuidNotExecutable()
    {
        var name = "perm-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "-e", "SECRET=hunter2", "busybox", "sh", "-c",
            "cp /bin/busybox /suid && chmod 4755 /suid && echo logged-secret && touch /ready && sleep 300");
        Assert.True(run.ExitCode == 0, run + daemon.DaemonLog());
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await daemon.DockerAsync("exec", name, "test", "-e", "/ready")).ExitCode != 0 && DateTime.UtcNow < deadline) await Task.Delay(100);

            // Everything under both roots, found as root (bounded: the point is coverage of every kind of file).
            var list = await CommandRunner.RunAsync("bash", ["-c",
                $"find '{daemon.DataRoot}' '{daemon.ExecRoot}' -xdev \\( -type d -o -type f \\) 2>/dev/null | head -n 5000"], daemon.Env);
            var paths = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(paths, p => p.EndsWith("/suid", StringComparison.Ordinal));
            var listFile = Path.Combine(daemon.Root, "perm-paths-" + name);
            await File.WriteAllLinesAsync(listFile, paths);
            try
            {
                // As nobody: print every directory that lists and every file that reads.
                var probe = await CommandRunner.RunAsync("setpriv", [.. AsNobody, "sh", "-c",
                    $"while IFS= read -r p; do if [ -d \"$p\" ]; then ls \"$p\" >/dev/null 2>&1 && echo \"LIST $p\"; else head -c1 \"$p\" >/dev/null 2>&1 && echo \"READ $p\"; fi; done < '{listFile}'"], daemon.Env);
                Assert.True(probe.Stdout.Trim().Length == 0, "readable by nobody:\n" + string.Join('\n', probe.Stdout.Split('\n').Take(20)));

                foreach (var suid in paths.Where(p => p.EndsWith("/suid", StringComparison.Ordinal)))
                {
                    var exec = await CommandRunner.RunAsync("setpriv", [.. AsNobody, suid, "id", "-u"], daemon.Env);
                    Assert.NotEqual(0, exec.ExitCode);
                    Assert.NotEqual("0", exec.Stdout.Trim());
                }
            }
            finally
            {
                File.Delete(listFile);
            }

            // The roots themselves: Docker's modes.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute, File.GetUnixFileMode(daemon.DataRoot));
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(daemon.ExecRoot) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
