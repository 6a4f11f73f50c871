namespace Wharf.EndToEnd.Tests;

/// <summary>docker cp details beyond copying bytes: noOverwriteDirNonDir (the docker CLI always asks for it) and
/// ownership with and without -a, checked with stat inside the container.</summary>
[Collection(DaemonCollection.Name)]
public sealed class CopyOwnershipTests(DaemonFixture daemon)
{
    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}");
        return r;
    }

    [Fact]
    public async Task Cp_DirNonDirSwapsRefused_ArchiveModeUsesTheContainersUser()
    {
        var name = "cp-own-" + Guid.NewGuid().ToString("N")[..8];
        var work = Path.Combine(daemon.Root, name);
        Directory.CreateDirectory(work);
        try
        {
            // The container's user exists only in the container's passwd/group (copied in first, without -a).
            await File.WriteAllTextAsync(Path.Combine(work, "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:4321:8765::/tmp:/bin/sh\n");
            await File.WriteAllTextAsync(Path.Combine(work, "group"), "root:x:0:\napps:x:8765:\n");
            await OkAsync("create", "--name", name, "--user", "app", "busybox", "sleep", "60");
            await OkAsync("cp", Path.Combine(work, "passwd"), name + ":/etc/passwd");
            await OkAsync("cp", Path.Combine(work, "group"), name + ":/etc/group");

            // Host files owned by 1234:2345: kept without -a (Docker keeps the archive's ownership) ...
            var owned = Path.Combine(work, "owned.txt");
            await File.WriteAllTextAsync(owned, "owned\n");
            var tree = Path.Combine(work, "tree");
            Directory.CreateDirectory(tree);
            await File.WriteAllTextAsync(Path.Combine(tree, "inner"), "inner\n");
            foreach (var path in new[] { owned, tree, Path.Combine(tree, "inner") }) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead);
            Assert.Equal(0, (await CommandRunner.RunAsync("chown", ["-R", "1234:2345", owned, tree], daemon.Env)).ExitCode);
            await OkAsync("cp", owned, name + ":/tmp/plain.txt");
            // ... and with -a they belong to the container's user, the directory and what is inside alike.
            await OkAsync("cp", "-a", owned, name + ":/tmp/archived.txt");
            await OkAsync("cp", "-a", tree, name + ":/tmp/");

            await OkAsync("start", name);
            var stat = await OkAsync("exec", "-u", "0", name, "stat", "-c", "%u:%g %n", "/tmp/plain.txt", "/tmp/archived.txt", "/tmp/tree", "/tmp/tree/inner");
            Assert.Equal("1234:2345 /tmp/plain.txt\n4321:8765 /tmp/archived.txt\n4321:8765 /tmp/tree\n4321:8765 /tmp/tree/inner\n", stat.Stdout);

            // noOverwriteDirNonDir: a file may not replace a directory, nor a directory a file; nothing changes.
            await OkAsync("exec", "-u", "0", name, "sh", "-c", "mkdir -p /tmp/clash-dir && echo keep > /tmp/clash-dir/kept && echo plain > /tmp/clash-file");
            var fileNamedLikeDir = Path.Combine(work, "src1", "clash-dir");
            Directory.CreateDirectory(Path.GetDirectoryName(fileNamedLikeDir)!);
            await File.WriteAllTextAsync(fileNamedLikeDir, "a file\n");
            var fileOverDir = await daemon.DockerAsync("cp", fileNamedLikeDir, name + ":/tmp/");
            Assert.NotEqual(0, fileOverDir.ExitCode);
            Assert.Contains("cannot overwrite directory \"/tmp/clash-dir\" with non-directory \"/tmp\"", fileOverDir.Stderr);
            var dirNamedLikeFile = Path.Combine(work, "src2", "clash-file");
            Directory.CreateDirectory(dirNamedLikeFile);
            await File.WriteAllTextAsync(Path.Combine(dirNamedLikeFile, "x"), "x\n");
            var dirOverFile = await daemon.DockerAsync("cp", dirNamedLikeFile, name + ":/tmp/");
            Assert.NotEqual(0, dirOverFile.ExitCode);
            Assert.Contains("cannot overwrite non-directory \"/tmp/clash-file\" with directory \"/tmp\"", dirOverFile.Stderr);
            var wharf = await daemon.WharfAsync("cp", fileNamedLikeDir, name + ":/tmp/");
            Assert.NotEqual(0, wharf.ExitCode);
            Assert.Contains("cannot overwrite directory", wharf.Stderr);
            var after = await OkAsync("exec", name, "sh", "-c", "cat /tmp/clash-dir/kept /tmp/clash-file");
            Assert.Equal("keep\nplain\n", after.Stdout);

            // The raw API answers 400 for it.
            using var api = daemon.CreateHttpClient();
            using var tar = new MemoryStream();
            using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
            {
                writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "clash-dir") { DataStream = new MemoryStream("x"u8.ToArray()) });
            }
            tar.Position = 0;
            using var put = await api.PutAsync($"/containers/{name}/archive?path=/tmp&noOverwriteDirNonDir=true", new StreamContent(tar));
            Assert.Equal(400, (int)put.StatusCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            Directory.Delete(work, recursive: true);
        }
    }
}
