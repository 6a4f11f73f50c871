namespace Wharf.EndToEnd.Tests;

/// <summary>Volumes, bind mounts and tmpfs with the real docker CLI against a real wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class VolumeTests(DaemonFixture daemon)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}\n{daemon.DaemonLog()[^Math.Min(3000, daemon.DaemonLog().Length)..]}");
        return r;
    }

    [Fact]
    public async Task NamedVolume_LifecycleFiltersInUseAndPersistence()
    {
        var volume = Unique("vol");
        var c1 = Unique("writer");
        try
        {
            Assert.Equal(volume + "\n", (await OkAsync("volume", "create", "--label", "team=storage", volume)).Stdout);
            var inspect = await OkAsync("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Labels.team}}", volume);
            Assert.Equal($"{volume} local {daemon.DataRoot}/volumes/{volume}/_data storage\n", inspect.Stdout);

            await OkAsync("run", "--name", c1, "-v", volume + ":/data", "busybox", "sh", "-c", "echo persisted > /data/file");
            Assert.Equal("persisted\n", await File.ReadAllTextAsync($"{daemon.DataRoot}/volumes/{volume}/_data/file"));
            var mounts = await OkAsync("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.Driver}} {{.Mode}} {{.RW}}{{end}}", c1);
            Assert.Equal($"volume {volume} /data local z true\n", mounts.Stdout);

            // In use by a (stopped) container: 409 with the container's id.
            var id = (await OkAsync("inspect", "-f", "{{.Id}}", c1)).Stdout.Trim();
            var busy = await daemon.DockerAsync("volume", "rm", volume);
            Assert.NotEqual(0, busy.ExitCode);
            Assert.Contains($"remove {volume}: volume is in use - [{id}]", busy.Stderr);

            // Filters: dangling=false while used, label and name match, driver.
            Assert.Contains(volume, (await OkAsync("volume", "ls", "-q", "--filter", "dangling=false")).Stdout);
            Assert.DoesNotContain(volume, (await OkAsync("volume", "ls", "-q", "--filter", "dangling=true")).Stdout);
            Assert.Contains(volume, (await OkAsync("volume", "ls", "-q", "--filter", "label=team=storage")).Stdout);
            Assert.DoesNotContain(volume, (await OkAsync("volume", "ls", "-q", "--filter", "label=team=other")).Stdout);
            Assert.Contains(volume, (await OkAsync("volume", "ls", "-q", "--filter", "name=" + volume[4..10], "--filter", "driver=local")).Stdout);

            // Data survives the container and is seen read-only by the next one.
            await OkAsync("rm", c1);
            var read = await daemon.DockerAsync("run", "--rm", "-v", volume + ":/data:ro", "busybox", "sh", "-c", "cat /data/file; touch /data/x");
            Assert.Equal("persisted\n", read.Stdout);
            Assert.Contains("Read-only file system", read.Stderr);

            // prune without --all keeps named volumes.
            await OkAsync("volume", "prune", "-f");
            await OkAsync("volume", "inspect", volume);
            await OkAsync("volume", "rm", volume);
            var gone = await daemon.DockerAsync("volume", "inspect", volume);
            Assert.NotEqual(0, gone.ExitCode);
            Assert.Contains("no such volume", gone.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c1);
            await daemon.DockerAsync("volume", "rm", "-f", volume);
        }
    }

    [Fact]
    public async Task AnonymousAndCopyUp_ImageContentFillsEmptyVolume_RmVRemovesAnonymous()
    {
        var named = Unique("copyup");
        var nocopy = Unique("nocopy");
        var c = Unique("anon");
        try
        {
            // Copy-up: the image's /etc content (with its modes) appears in the new, empty volume.
            var r = await OkAsync("run", "--rm", "-v", named + ":/etc", "busybox", "sh", "-c", "cat /etc/passwd | head -1");
            Assert.StartsWith("root:", r.Stdout);
            Assert.True(File.Exists($"{daemon.DataRoot}/volumes/{named}/_data/passwd"));
            var empty = await OkAsync("run", "--rm", "-v", nocopy + ":/etc:nocopy", "busybox", "sh", "-c", "test -e /etc/passwd && echo copied || echo empty");
            Assert.Equal("empty\n", empty.Stdout);

            // -v /path: an anonymous 64-hex volume; rm -v removes it, prune --all would too.
            await OkAsync("create", "--name", c, "-v", "/scratch", "busybox", "true");
            var name = (await OkAsync("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", c)).Stdout.Trim();
            Assert.Matches("^[0-9a-f]{64}$", name);
            await OkAsync("volume", "inspect", name);
            await OkAsync("rm", "-v", c);
            Assert.NotEqual(0, (await daemon.DockerAsync("volume", "inspect", name)).ExitCode);

            // An anonymous volume left behind by plain rm is pruned by a plain prune.
            await OkAsync("create", "--name", c, "-v", "/scratch", "busybox", "true");
            var leftover = (await OkAsync("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", c)).Stdout.Trim();
            await OkAsync("rm", c);
            var prune = await OkAsync("volume", "prune", "-f");
            Assert.Contains(leftover, prune.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("volume", "rm", "-f", named, nocopy);
        }
    }

    [Fact]
    public async Task BindTmpfsReadOnlyAndVolumesFrom_AreHonoured()
    {
        var hostDir = Path.Combine(daemon.Root, Unique("bind"), "created-by-v");
        var source = Unique("source");
        try
        {
            // -v creates a missing host directory; writes show on the host.
            await OkAsync("run", "--rm", "-v", hostDir + ":/mnt", "busybox", "sh", "-c", "echo from-container > /mnt/out");
            Assert.Equal("from-container\n", await File.ReadAllTextAsync(Path.Combine(hostDir, "out")));
            var ro = await daemon.DockerAsync("run", "--rm", "--mount", $"type=bind,src={hostDir},dst=/mnt,readonly", "busybox", "touch", "/mnt/nope");
            Assert.NotEqual(0, ro.ExitCode);
            Assert.False(File.Exists(Path.Combine(hostDir, "nope")));
            var info = await OkAsync("run", "--rm", "-v", hostDir + ":/mnt:ro", "busybox", "grep", " /mnt ", "/proc/mounts");
            Assert.Contains(" ro,", info.Stdout);

            // tmpfs with options, --read-only rootfs with writable tmpfs and volume.
            var tmpfs = await OkAsync("run", "--rm", "--read-only", "--tmpfs", "/scratch:size=2m,mode=1777",
                "--mount", "type=tmpfs,dst=/other,tmpfs-size=1048576", "-v", "/data", "busybox", "sh", "-c",
                "grep -E ' /(scratch|other) ' /proc/mounts; touch /scratch/a /other/b /data/c && echo writable; touch /rootfile || echo rootfs-ro");
            Assert.Contains("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec", tmpfs.Stdout);
            Assert.Contains("size=2048k", tmpfs.Stdout);
            Assert.Contains("size=1024k", tmpfs.Stdout);
            Assert.Contains("writable\n", tmpfs.Stdout);
            Assert.Contains("rootfs-ro\n", tmpfs.Stdout);

            // --volumes-from with :ro.
            await OkAsync("create", "--name", source, "-v", "/shared", "-v", hostDir + ":/hostdir", "busybox", "true");
            var from = await OkAsync("run", "--rm", "--volumes-from", source + ":ro", "busybox", "sh", "-c", "cat /hostdir/out; touch /shared/x || echo shared-ro");
            Assert.Equal("from-container\nshared-ro\n", from.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", "-v", source);
            Directory.Delete(Path.GetDirectoryName(hostDir)!, recursive: true);
        }
    }

    [Fact]
    public async Task BadMounts_AreRejectedWithDockersMessages()
    {
        var missing = "/nonexistent-" + Guid.NewGuid().ToString("N")[..8];
        var r = await daemon.DockerAsync("run", "--rm", "--mount", $"type=bind,src={missing},dst=/x", "busybox", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"invalid mount config for type \"bind\": bind source path does not exist: {missing}", r.Stderr);
        Assert.False(Directory.Exists(missing));

        var api = daemon.CreateHttpClient();
        async Task<(int Status, string Body)> CreateAsync(string json)
        {
            using var response = await api.PostAsync("/containers/create", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return ((int)response.StatusCode, body.RootElement.GetProperty("message").GetString() ?? "");
        }
        var relative = await CreateAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"Mounts":[{"Type":"bind","Source":"relative/dir","Target":"/x"}]}}""");
        Assert.Equal(400, relative.Status);
        Assert.Contains("mount path must be absolute", relative.Body);
        var unknown = await CreateAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"Mounts":[{"Type":"magic","Target":"/x"}]}}""");
        Assert.Equal(400, unknown.Status);
        Assert.Equal("invalid mount config for type \"magic\": mount type unknown", unknown.Body);

        var badName = await daemon.DockerAsync("volume", "create", "bad/name");
        Assert.NotEqual(0, badName.ExitCode);
        Assert.Contains("includes invalid characters for a local volume name", badName.Stderr);
        var badBind = await daemon.DockerAsync("create", "-v", "bad$name:/x", "busybox", "true");
        Assert.Contains("includes invalid characters for a local volume name", badBind.Stderr);
    }
}
