using System.Formats.Tar;
using System.IO.Compression;

namespace Wharf.EndToEnd.Tests;

/// <summary>docker save/load, history, image prune and system df with the real docker CLI against wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ImageArchiveTests(DaemonFixture daemon)
{
    [Fact]
    public async Task SaveLoad_RoundTrip_KeepsIdAndLayersAndRuns()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var container = "save-src-" + suffix;
        var image = "savetest-" + suffix + ":1";
        var archive = Path.Combine(daemon.Root, "save-" + suffix + ".tar");
        var gzipped = archive + ".gz";
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("run", "--name", container, "busybox", "sh", "-c", "echo saved > /marker")).ExitCode);
            Assert.Equal(0, (await daemon.DockerAsync("commit", container, image)).ExitCode);
            var id = (await daemon.DockerAsync("image", "inspect", "-f", "{{.Id}} {{json .RootFS.Layers}}", image)).Stdout.Trim();

            var save = await daemon.DockerAsync("save", "-o", archive, image);
            Assert.True(save.ExitCode == 0, save.ToString());
            var names = new List<string>();
            using (var reader = new TarReader(File.OpenRead(archive)))
            {
                while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
            }
            Assert.Contains("manifest.json", names);
            Assert.Contains("index.json", names);
            Assert.Contains("oci-layout", names);

            await daemon.DockerAsync("rm", "-f", container);
            Assert.Equal(0, (await daemon.DockerAsync("rmi", image)).ExitCode);
            await using (var input = File.OpenRead(archive))
            await using (var output = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
            {
                await input.CopyToAsync(output);
            }

            var load = await daemon.DockerAsync("load", "-i", gzipped);
            Assert.True(load.ExitCode == 0, load.ToString());
            Assert.Contains("Loaded image: " + image, load.Stdout);
            Assert.Equal(id, (await daemon.DockerAsync("image", "inspect", "-f", "{{.Id}} {{json .RootFS.Layers}}", image)).Stdout.Trim());
            var run = await daemon.DockerAsync("run", "--rm", image, "cat", "/marker");
            Assert.Equal("saved\n", run.Stdout);

            var history = await daemon.DockerAsync("history", image);
            Assert.True(history.ExitCode == 0, history.ToString());
            var lines = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("IMAGE", lines[0]);
            Assert.True(lines.Length >= 3, history.Stdout);
            Assert.Contains("<missing>", history.Stdout);

            var quiet = await daemon.DockerAsync("load", "-q", "-i", archive);
            Assert.Equal("Loaded image: " + image + "\n", quiet.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", container);
            await daemon.DockerAsync("rmi", "-f", image);
            File.Delete(archive);
            File.Delete(gzipped);
        }
    }

    [Fact]
    public async Task Load_CorruptArchive_FailsAndLeavesNoImage()
    {
        var before = (await daemon.DockerAsync("images", "-q", "-a")).Stdout;
        var path = Path.Combine(daemon.Root, "corrupt-" + Guid.NewGuid().ToString("N")[..6] + ".tar");
        try
        {
            await File.WriteAllBytesAsync(path, [.. new byte[700].Select((_, i) => (byte)(i * 7))]);
            var load = await daemon.DockerAsync("load", "-i", path);
            Assert.NotEqual(0, load.ExitCode);
            Assert.Equal(before, (await daemon.DockerAsync("images", "-q", "-a")).Stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PruneAndDf_DanglingImage_IsRemovedAndSizesReported()
    {
        var container = "prune-src-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("run", "--name", container, "busybox", "sh", "-c", "head -c 100000 /dev/urandom > /blob")).ExitCode);
            var commit = await daemon.DockerAsync("commit", container);
            var id = commit.Stdout.Trim();
            Assert.StartsWith("sha256:", id);
            await daemon.DockerAsync("rm", "-f", container);

            var df = await daemon.DockerAsync("system", "df");
            Assert.True(df.ExitCode == 0, df.ToString());
            Assert.Contains("Images", df.Stdout);
            Assert.Contains("Build Cache", df.Stdout);
            var verbose = await daemon.DockerAsync("system", "df", "-v");
            Assert.Contains(id[7..19], verbose.Stdout);

            var prune = await daemon.DockerAsync("image", "prune", "-f");
            Assert.True(prune.ExitCode == 0, prune.ToString());
            Assert.Contains("deleted: " + id, prune.Stdout);
            Assert.Contains("Total reclaimed space: 100", prune.Stdout); // 100kB layer
            Assert.NotEqual(0, (await daemon.DockerAsync("image", "inspect", id)).ExitCode);
            Assert.Equal(0, (await daemon.DockerAsync("image", "inspect", "busybox")).ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", container);
        }
    }
}
