using System.Formats.Tar;
using System.Text;

namespace Wharf.EndToEnd.Tests;

/// <summary>CVE-2018-15664's class: a running container swaps a directory for a symlink out of its root, in a tight
/// loop, while the daemon copies into and out of it, exports it and commits it. The daemon works confined to the
/// container's root, so the symlink leads into the container's own tree: no host file is ever read or written.
/// The container's /w/d is in turn a directory holding "payload" ("inside") and a symlink to an absolute path
/// that holds, on the host, a "payload" reading HOST-SECRET (and, inside the container, one reading "decoy").</summary>
[Collection(DaemonCollection.Name)]
public sealed class ContainerSwapRaceTests(DaemonFixture daemon)
{
    private const int Rounds = 200;
    private const string Secret = "HOST-SECRET";

    [Fact]
    public async Task CopyExportAndCommit_WhileTheContainerSwapsADirectoryForASymlink_NeverReachTheHost()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var name = "swap-" + id;
        var hostDir = Path.Combine("/tmp", "wharf-swap-" + id);
        Directory.CreateDirectory(hostDir);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "payload"), Secret);
        var image = "swap-commit-" + id;
        try
        {
            // The same absolute path exists in the container too ("decoy"): the symlink is never dangling there.
            // /w/d is a directory, then (moved aside) a symlink to the absolute path, then the directory again.
            var swapper = $"mkdir -p {hostDir} /w/d && echo decoy > {hostDir}/payload && echo inside > /w/d/payload; " +
                          $"while true; do mv /w/d /w/b; ln -s {hostDir} /w/d; usleep 500; rm /w/d; mv /w/b /w/d; usleep 500; done";
            await OkAsync("run", "-d", "--name", name, "busybox", "sh", "-c", swapper);
            using var http = daemon.CreateHttpClient();

            var reads = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Rounds; i++)
            {
                // Out: the file under the swapping directory, whichever it is at the time.
                using var response = await http.GetAsync($"/containers/{name}/archive?path=/w/d/payload");
                var outcome = response.IsSuccessStatusCode ? ReadSingleFile(await response.Content.ReadAsByteArrayAsync()) : $"{(int)response.StatusCode}";
                reads[outcome] = reads.GetValueOrDefault(outcome) + 1;
                Assert.DoesNotContain(Secret, outcome, StringComparison.Ordinal);

                // In: a file into the swapping directory.
                using var put = await http.PutAsync($"/containers/{name}/archive?path=/w/d", new ByteArrayContent(TarOf("written-" + i, "x")));
                Assert.False(File.Exists(Path.Combine(hostDir, "written-" + i)), $"round {i}: docker cp wrote into the host's {hostDir}");
            }
            Assert.Equal(Secret, await File.ReadAllTextAsync(Path.Combine(hostDir, "payload")));
            // The race was real: both sides of the swap were seen.
            Assert.True(reads.GetValueOrDefault("inside\n") > 0 && reads.GetValueOrDefault("decoy\n") > 0, string.Join(", ", reads));

            for (var i = 0; i < Rounds / 10; i++)
            {
                var export = await http.GetByteArrayAsync($"/containers/{name}/export");
                Assert.True(export.Length > 0);
                Assert.False(Contains(export, Secret), $"export {i} carried a host file");
            }

            for (var i = 0; i < Rounds / 20; i++)
            {
                using var commit = await http.PostAsync($"/commit?container={name}&repo={image}&tag={i}", null);
                Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync());
                var saved = await http.GetByteArrayAsync($"/images/{image}:{i}/get");
                Assert.False(Contains(saved, Secret), $"commit {i} carried a host file");
            }
            var state = await OkAsync("inspect", "-f", "{{.State.Status}}", name);
            Assert.Equal("running", state.Stdout.Trim()); // commit paused it and let it go again
            Assert.DoesNotContain(Directory.GetFiles(hostDir), f => Path.GetFileName(f) != "payload");
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            for (var i = 0; i < Rounds / 20; i++) await daemon.DockerAsync("rmi", "-f", $"{image}:{i}");
            Directory.Delete(hostDir, recursive: true);
        }
    }

    [Fact]
    public async Task VolumeSubpath_SwappedForASymlinkByAnotherContainer_NeverMountsAHostDirectory()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var volume = "swapvol-" + id;
        var hostile = "swapper-" + id;
        var hostDir = Path.Combine("/tmp", "wharf-subpath-" + id);
        Directory.CreateDirectory(hostDir);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "secret"), Secret);
        try
        {
            await OkAsync("volume", "create", volume);
            // Another container using the volume swaps its "sub" for a symlink to a host path, over and over.
            await OkAsync("run", "-d", "--name", hostile, "-v", volume + ":/v", "busybox", "sh", "-c",
                "mkdir -p /v/sub && echo inside > /v/sub/secret; " +
                $"while true; do mv /v/sub /v/b; ln -s {hostDir} /v/sub; usleep 500; rm /v/sub; mv /v/b /v/sub; usleep 500; done");
            var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Rounds / 5; i++)
            {
                var run = await daemon.DockerAsync("run", "--rm", "--pull", "never", "--mount", $"type=volume,src={volume},dst=/m,volume-subpath=sub",
                    "busybox", "cat", "/m/secret");
                Assert.DoesNotContain(Secret, run.Stdout, StringComparison.Ordinal);
                var outcome = run.ExitCode == 0 ? run.Stdout.Trim() : "exit " + run.ExitCode;
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            Assert.True(outcomes.GetValueOrDefault("inside") > 0, string.Join(", ", outcomes));
            // Each run's pinned sub-path mount went with it.
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(daemon.Root, StringComparison.Ordinal) && l.Contains("/subpaths/", StringComparison.Ordinal));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", hostile);
            await daemon.DockerAsync("volume", "rm", "-f", volume);
            Directory.Delete(hostDir, recursive: true);
        }
    }

    [Fact]
    public async Task ExecAsNamedUser_WhileTheContainerSwapsPasswdForALinkToAHostFile_NeverReadsTheHost()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var name = "execswap-" + id;
        // On the host: a passwd naming both users with uids only the host's file has.
        var hostDir = Path.Combine("/tmp", "wharf-execswap-" + id);
        Directory.CreateDirectory(hostDir);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "passwd"), "someuser:x:4343:4343::/:/bin/sh\nhostonly:x:4242:4242::/:/bin/sh\n");
        try
        {
            // In the container: the real /etc/passwd gives someuser 1234; the same absolute path as the host's file
            // holds hostonly as 5555 (so the link is never dangling inside). Round after round, /etc/passwd becomes a
            // link to that path and then a regular file again (renamed over the link). Followed from the host, the
            // link is the host's file. (/etc itself cannot be swapped: the hosts, hostname and resolv.conf mounts
            // in it make its rename fail. No FIFO here: runc 1.1's own init opens the container's /etc/passwd for
            // every exec, and would block on one; see the next test.)
            var swapper = $"mkdir -p {hostDir} && echo 'hostonly:x:5555:5555::/:/bin/sh' > {hostDir}/passwd && " +
                          "echo 'someuser:x:1234:1234::/:/bin/sh' >> /etc/passwd && cp /etc/passwd /real-passwd; " +
                          $"while true; do ln -sf {hostDir}/passwd /etc/passwd; usleep 300; " +
                          "cp /real-passwd /etc/passwd.new; mv -f /etc/passwd.new /etc/passwd; usleep 300; done";
            await OkAsync("run", "-d", "--name", name, "busybox", "sh", "-c", swapper);

            var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Rounds / 2; i++)
            {
                var user = i % 2 == 0 ? "someuser" : "hostonly";
                var exec = await CommandRunner.RunAsync(TestBinaries.Docker, ["exec", "-u", user, name, "id", "-u"], daemon.Env,
                    timeout: TimeSpan.FromSeconds(30));
                var outcome = exec.ExitCode == 0
                    ? $"{user}={exec.Stdout.Trim()}"
                    : (exec.Stdout + exec.Stderr).Contains($"unable to find user {user}: no matching entries in passwd file", StringComparison.Ordinal)
                        ? $"{user} not found"
                        : $"{user} failed: exit {exec.ExitCode}: {exec.Stdout.Trim()} {exec.Stderr.Trim()}";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            var seen = string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}"));
            // Only the container's own data, or Docker's error: never the host's uids (4343, 4242), nothing else.
            Assert.All(outcomes.Keys, o => Assert.True(o is "someuser=1234" or "someuser not found" or "hostonly=5555" or "hostonly not found", seen));
            // The race was real: both the container's file and its link were read.
            Assert.True(outcomes.GetValueOrDefault("someuser=1234") > 0 && outcomes.GetValueOrDefault("hostonly=5555") > 0, seen);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            Directory.Delete(hostDir, recursive: true);
        }
    }

    [Fact]
    public async Task ExecAsNamedUser_PasswdMadeAFifoByTheRunningContainer_FailsAtOnceAndTheContainerIsRemovable()
    {
        var name = "execfifo-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await OkAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "rm -f /etc/passwd && mkfifo /etc/passwd && touch /ready && sleep 3600");
            // Waited for through diff, not exec: runc 1.1's init opens /etc/passwd for every exec and would block on the FIFO.
            for (var i = 0; i < 50 && !(await daemon.DockerAsync("diff", name)).Stdout.Contains("A /ready", StringComparison.Ordinal); i++)
                await Task.Delay(100);

            var exec = await CommandRunner.RunAsync(TestBinaries.Docker, ["exec", "-u", "someuser", name, "id", "-u"], daemon.Env,
                timeout: TimeSpan.FromSeconds(20));

            Assert.True(exec.ExitCode != 0, exec.ToString());
            Assert.Contains("unable to find user someuser: no matching entries in passwd file", exec.Stdout + exec.Stderr, StringComparison.Ordinal);
            var rm = await CommandRunner.RunAsync(TestBinaries.Docker, ["rm", "-f", name], daemon.Env, timeout: TimeSpan.FromSeconds(20));
            Assert.Equal(0, rm.ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Diff_WhileTheContainerSwapsADirectoryForALinkToAHostDirectory_ListsNoHostName()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var name = "diffswap-" + id;
        var hostDir = Path.Combine("/tmp", "wharf-diffswap-" + id);
        Directory.CreateDirectory(hostDir);
        for (var i = 0; i < 3; i++) await File.WriteAllTextAsync(Path.Combine(hostDir, "host-marker-" + i), Secret);
        try
        {
            // The host directory does not exist in the container: from inside, the link dangles; from the host, a walk
            // that followed it would list the markers.
            var swapper = "mkdir -p /w/d && echo inside > /w/d/inside; " +
                          $"while true; do mv /w/d /w/b; ln -s {hostDir} /w/d; usleep 300; rm /w/d; mv /w/b /w/d; usleep 300; done";
            await OkAsync("run", "-d", "--name", name, "busybox", "sh", "-c", swapper);
            using var http = daemon.CreateHttpClient();

            var sides = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Rounds * 5; i++)
            {
                var changes = await http.GetStringAsync($"/containers/{name}/changes");
                Assert.DoesNotContain("host-marker", changes, StringComparison.Ordinal);
                if (changes.Contains("\"/w/d/inside\"", StringComparison.Ordinal)) sides.Add("directory at /w/d");
                if (changes.Contains("\"/w/b/inside\"", StringComparison.Ordinal)) sides.Add("directory moved aside");
            }
            // The race was real: the walk met both sides of the swap.
            Assert.Equal(2, sides.Count);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            Directory.Delete(hostDir, recursive: true);
        }
    }

    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}");
        return r;
    }

    private static string ReadSingleFile(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { } data) return new StreamReader(data).ReadToEnd();
        }
        return "(no file)";
    }

    private static byte[] TarOf(string name, string content)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
        return buffer.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;
}
