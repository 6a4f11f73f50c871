using System.Formats.Tar;

namespace Wharf.EndToEnd.Tests;

/// <summary>docker diff, export and commit with the real docker CLI against wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ContainerChangesTests(DaemonFixture daemon)
{
    [Fact]
    public async Task DiffExportCommit_AfterChanges_ReportAndPersistThem()
    {
        var name = "changes-" + Guid.NewGuid().ToString("N")[..6];
        var image = "committed-" + Guid.NewGuid().ToString("N")[..6];
        var export = Path.Combine(daemon.Root, name + ".tar");
        try
        {
            var run = await daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c",
                "mkdir -p /data/sub && echo hi > /data/sub/f && echo x >> /etc/passwd && rm /bin/vi && chmod 4755 /data/sub/f && ln /data/sub/f /data/hard");
            Assert.True(run.ExitCode == 0, run.ToString());

            var diff = await daemon.DockerAsync("diff", name);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            var lines = diff.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("A /data", lines);
            Assert.Contains("A /data/sub/f", lines);
            Assert.Contains("C /etc/passwd", lines);
            Assert.Contains("C /etc", lines);
            Assert.Contains("D /bin/vi", lines);
            Assert.DoesNotContain(lines, l => l.Contains("/etc/hostname", StringComparison.Ordinal) || l.Contains("/proc", StringComparison.Ordinal));

            var exported = await daemon.DockerAsync("export", "-o", export, name);
            Assert.True(exported.ExitCode == 0, exported.ToString());
            var entries = ReadEntries(export);
            Assert.Contains("data/sub/f", entries.Keys);
            Assert.Contains("bin/busybox", entries.Keys);
            Assert.DoesNotContain("bin/vi", entries.Keys);
            Assert.Equal(UnixFileMode.SetUser, entries["data/sub/f"].Mode & UnixFileMode.SetUser);
            Assert.Equal(TarEntryType.HardLink, entries["data/sub/f"].EntryType == TarEntryType.HardLink ? entries["data/sub/f"].EntryType : entries["data/hard"].EntryType);

            var commit = await daemon.DockerAsync("commit", "-m", "my message", "-a", "me", "-c", "ENV COMMITTED=yes", "-c", "CMD [\"cat\", \"/data/sub/f\"]", name, image);
            Assert.True(commit.ExitCode == 0, commit.ToString());
            Assert.StartsWith("sha256:", commit.Stdout.Trim());

            var ran = await daemon.DockerAsync("run", "--rm", image);
            Assert.True(ran.ExitCode == 0, ran.ToString());
            Assert.Equal("hi\n", ran.Stdout);
            var gone = await daemon.DockerAsync("run", "--rm", image, "sh", "-c", "test -e /bin/vi && echo present || echo gone; echo $COMMITTED; tail -1 /etc/passwd");
            Assert.Equal("gone\nyes\nx\n", gone.Stdout);

            var inspect = await daemon.DockerAsync("image", "inspect", "-f", "{{.Author}}|{{.Comment}}|{{len .RootFS.Layers}}", image);
            Assert.Equal("me|my message|2\n", inspect.Stdout);
            var history = await daemon.DockerAsync("history", "--no-trunc", "--format", "{{.Comment}}", image);
            Assert.StartsWith("my message\n", history.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            await daemon.DockerAsync("rmi", "-f", image);
            File.Delete(export);
        }
    }

    private static Dictionary<string, TarEntry> ReadEntries(string path)
    {
        var entries = new Dictionary<string, TarEntry>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry) entries[entry.Name.TrimEnd('/')] = entry;
        return entries;
    }
}
