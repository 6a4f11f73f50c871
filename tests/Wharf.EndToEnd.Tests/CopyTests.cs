namespace Wharf.EndToEnd.Tests;

/// <summary>docker cp (the archive API) with the real docker CLI: both directions, stopped and running
/// containers, volumes, tar streams, and paths that try to escape the container's root.</summary>
[Collection(DaemonCollection.Name)]
public sealed class CopyTests(DaemonFixture daemon)
{
    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}");
        return r;
    }

    [Fact]
    public async Task Cp_StoppedAndRunning_FilesDirectoriesVolumesAndStreams()
    {
        var name = "cp-" + Guid.NewGuid().ToString("N")[..8];
        var work = Path.Combine(daemon.Root, name);
        Directory.CreateDirectory(Path.Combine(work, "tree", "sub"));
        await File.WriteAllTextAsync(Path.Combine(work, "tree", "a.txt"), "alpha\n");
        await File.WriteAllTextAsync(Path.Combine(work, "tree", "sub", "b.txt"), "beta\n");
        File.SetUnixFileMode(Path.Combine(work, "tree", "sub", "b.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await OkAsync("create", "--name", name, "-v", "/vol", "busybox", "sh", "-c",
                "cat /tree/a.txt /tree/sub/b.txt /vol/a.txt; ls -l /tree/sub/b.txt; sleep 30");
            // Into a stopped container: a directory, and a file into its volume.
            await OkAsync("cp", Path.Combine(work, "tree"), name + ":/");
            await OkAsync("cp", Path.Combine(work, "tree", "a.txt"), name + ":/vol/");
            var volumeName = (await OkAsync("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", name)).Stdout.Trim();
            Assert.Equal("alpha\n", await File.ReadAllTextAsync($"{daemon.DataRoot}/volumes/{volumeName}/_data/a.txt"));

            await OkAsync("start", name);
            string logs = "";
            for (var i = 0; i < 50 && !logs.Contains("b.txt", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
                logs = (await OkAsync("logs", name)).Stdout;
            }
            Assert.StartsWith("alpha\nbeta\nalpha\n-rwx------", logs);

            // Out of a running container: a file, a directory, and from its volume.
            var outDir = Path.Combine(work, "out");
            Directory.CreateDirectory(outDir);
            await OkAsync("cp", name + ":/tree", outDir);
            Assert.Equal("beta\n", await File.ReadAllTextAsync(Path.Combine(outDir, "tree", "sub", "b.txt")));
            await OkAsync("cp", name + ":/vol/a.txt", Path.Combine(outDir, "from-volume.txt"));
            Assert.Equal("alpha\n", await File.ReadAllTextAsync(Path.Combine(outDir, "from-volume.txt")));
            // Into a running container, then a tar stream out to stdout.
            await File.WriteAllTextAsync(Path.Combine(work, "late.txt"), "late\n");
            await OkAsync("cp", Path.Combine(work, "late.txt"), name + ":/tmp/late.txt");
            var stream = await OkAsync("cp", name + ":/tmp/late.txt", "-");
            Assert.Contains("late.txt", stream.Stdout);
            Assert.Contains("late\n", stream.Stdout);

            // Missing paths: Docker's wording.
            var missing = await daemon.DockerAsync("cp", name + ":/no/such/file", outDir);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("Could not find the file /no/such/file in container " + name, missing.Stderr);

            // Stopped again: out of the stopped container works too.
            await OkAsync("kill", name);
            await OkAsync("cp", name + ":/tmp/late.txt", Path.Combine(outDir, "late-stopped.txt"));
            Assert.Equal("late\n", await File.ReadAllTextAsync(Path.Combine(outDir, "late-stopped.txt")));
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains("archive-", StringComparison.Ordinal) && l.Contains(daemon.Root, StringComparison.Ordinal));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", "-v", name);
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Cp_HostileSymlinks_NeverLeaveTheContainerRoot()
    {
        var name = "cp-evil-" + Guid.NewGuid().ToString("N")[..8];
        var work = Path.Combine(daemon.Root, name);
        var hostTarget = Path.Combine(work, "host-side");
        Directory.CreateDirectory(hostTarget);
        await File.WriteAllTextAsync(Path.Combine(hostTarget, "secret"), "host secret\n");
        await File.WriteAllTextAsync(Path.Combine(work, "payload"), "payload\n");
        try
        {
            // Links that would point at the host's directory if followed on the host.
            await OkAsync("run", "--name", name, "busybox", "sh", "-c",
                $"mkdir -p {hostTarget} && echo container-side > {hostTarget}/secret && ln -s {hostTarget} /abs && ln -s ../../../../../../..{hostTarget} /rel && ln -s /etc /evil");
            await OkAsync("cp", Path.Combine(work, "payload"), name + ":/abs/");
            await OkAsync("cp", Path.Combine(work, "payload"), name + ":/rel/payload2");
            Assert.False(File.Exists(Path.Combine(hostTarget, "payload")));
            Assert.False(File.Exists(Path.Combine(hostTarget, "payload2")));
            Assert.Equal("host secret\n", await File.ReadAllTextAsync(Path.Combine(hostTarget, "secret")));

            var outDir = Path.Combine(work, "out");
            Directory.CreateDirectory(outDir);
            await OkAsync("cp", name + ":/rel/secret", Path.Combine(outDir, "secret"));
            Assert.Equal("container-side\n", await File.ReadAllTextAsync(Path.Combine(outDir, "secret")));
            await OkAsync("cp", name + ":/../../../..//evil/../abs/payload", Path.Combine(outDir, "payload"));
            Assert.Equal("payload\n", await File.ReadAllTextAsync(Path.Combine(outDir, "payload")));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            Directory.Delete(work, recursive: true);
        }
    }
}
