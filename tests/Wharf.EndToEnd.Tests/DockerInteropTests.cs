using System.Formats.Tar;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Interchange with the real thing: Debian's dockerd 20.10 next to wharfd. An image Docker built saves,
/// loads into Wharf and runs there; an image Wharf built (with a whiteout and an opaque directory) saves, loads into
/// Docker and runs there; both ways the image ID and every layer digest (RootFS.Layers) stay the same.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerInteropTests(DaemonFixture wharf)
{
    private const string IdAndLayers = "{{.Id}} {{json .RootFS.Layers}}";

    [Fact]
    public async Task SaveLoad_BetweenDockerAndWharf_KeepsIdAndLayersAndRuns()
    {
        Assert.True(RealDockerDaemon.Available, $"{RealDockerDaemon.Binary} is missing: apt-get install docker.io (Debian 12)");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var fromDocker = "from-docker-" + suffix + ":1";
        var fromWharf = "from-wharf-" + suffix + ":1";
        await using var docker = new RealDockerDaemon();
        var work = Path.Combine(docker.Root, "work");
        try
        {
            await docker.StartAsync();
            Directory.CreateDirectory(work);
            var import = await CommandRunner.RunAsync("bash", ["-c", $"'{TestBinaries.BusyboxRootfsScript}' | '{TestBinaries.Docker}' import - busybox:latest"], docker.Env);
            Assert.True(import.ExitCode == 0, import + docker.Log());

            // Docker → Wharf: built offline by Docker's legacy builder on the imported busybox.
            var dockerContext = Path.Combine(work, "docker-ctx");
            Directory.CreateDirectory(dockerContext);
            await File.WriteAllTextAsync(Path.Combine(dockerContext, "data.txt"), "copied by docker\n");
            await File.WriteAllTextAsync(Path.Combine(dockerContext, "Dockerfile"), """
                FROM busybox
                COPY data.txt /data/
                RUN echo made-by-docker > /data/run.txt && rm /bin/vi
                CMD ["sh", "-c", "cat /data/data.txt /data/run.txt; test -e /bin/vi || echo vi-gone"]
                """);
            var build = await docker.DockerAsync("build", "-t", fromDocker, dockerContext);
            Assert.True(build.ExitCode == 0, build + docker.Log());
            var dockerView = (await docker.DockerAsync("image", "inspect", "-f", IdAndLayers, fromDocker)).Stdout.Trim();
            var dockerArchive = Path.Combine(work, "docker.tar");
            var save = await docker.DockerAsync("save", "-o", dockerArchive, fromDocker);
            Assert.True(save.ExitCode == 0, save.ToString());

            var load = await wharf.DockerAsync("load", "-i", dockerArchive);
            Assert.True(load.ExitCode == 0, load + wharf.DaemonLog());
            Assert.Contains("Loaded image: " + fromDocker, load.Stdout);
            Assert.Equal(dockerView, (await wharf.DockerAsync("image", "inspect", "-f", IdAndLayers, fromDocker)).Stdout.Trim());
            var runInWharf = await wharf.DockerAsync("run", "--rm", fromDocker);
            Assert.True(runInWharf.ExitCode == 0, runInWharf.ToString());
            Assert.Equal("copied by docker\nmade-by-docker\nvi-gone\n", runInWharf.Stdout);

            // Wharf → Docker: two RUN layers; the second deletes a file (whiteout) and replaces a directory that
            // has content below (opaque directory).
            var wharfContext = Path.Combine(work, "wharf-ctx");
            Directory.CreateDirectory(wharfContext);
            await File.WriteAllTextAsync(Path.Combine(wharfContext, "Dockerfile"), """
                FROM busybox
                RUN mkdir -p /opq/old && echo old > /opq/old/f && echo keep > /keep && echo gone > /gone && chmod 4755 /keep
                RUN rm -rf /opq && mkdir /opq && echo new > /opq/new && rm /gone
                CMD ["sh", "-c", "ls -A /opq; cat /keep; test -e /gone || echo gone-is-gone; stat -c %a /keep"]
                """);
            var wharfBuild = await CommandRunner.RunAsync(TestBinaries.Docker, ["build", "-t", fromWharf, wharfContext],
                new Dictionary<string, string>(wharf.Env) { ["DOCKER_BUILDKIT"] = "0" }, timeout: TimeSpan.FromSeconds(90));
            Assert.True(wharfBuild.ExitCode == 0, wharfBuild + wharf.DaemonLog());
            var wharfView = (await wharf.DockerAsync("image", "inspect", "-f", IdAndLayers, fromWharf)).Stdout.Trim();
            var wharfArchive = Path.Combine(work, "wharf.tar");
            var wharfSave = await wharf.DockerAsync("save", "-o", wharfArchive, fromWharf);
            Assert.True(wharfSave.ExitCode == 0, wharfSave.ToString());
            var layerEntries = LayerEntryNames(wharfArchive);
            Assert.Contains(layerEntries, n => n.EndsWith("opq/.wh..wh..opq", StringComparison.Ordinal));
            Assert.Contains(layerEntries, n => n.EndsWith(".wh.gone", StringComparison.Ordinal));

            var dockerLoad = await docker.DockerAsync("load", "-i", wharfArchive);
            Assert.True(dockerLoad.ExitCode == 0, dockerLoad + docker.Log());
            Assert.Contains("Loaded image: " + fromWharf, dockerLoad.Stdout);
            Assert.Equal(wharfView, (await docker.DockerAsync("image", "inspect", "-f", IdAndLayers, fromWharf)).Stdout.Trim());
            var runInDocker = await docker.DockerAsync("run", "--rm", "--network", "none", fromWharf);
            Assert.True(runInDocker.ExitCode == 0, runInDocker + docker.Log());
            Assert.Equal("new\nkeep\ngone-is-gone\n4755\n", runInDocker.Stdout);
        }
        finally
        {
            await wharf.DockerAsync("rmi", "-f", fromDocker, fromWharf);
        }
    }

    /// <summary>Every entry name of every layer tar inside a docker-archive, found through manifest.json.</summary>
    private static List<string> LayerEntryNames(string archive)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(File.OpenRead(archive)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                files[entry.Name] = buffer.ToArray();
            }
        }
        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        var names = new List<string>();
        foreach (var layer in manifest.RootElement[0].GetProperty("Layers").EnumerateArray())
        {
            using var reader = new TarReader(new MemoryStream(files[layer.GetString()!]));
            while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        }
        return names;
    }
}
