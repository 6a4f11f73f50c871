using System.Net;

namespace Wharf.EndToEnd.Tests;

/// <summary>docker build --squash on a daemon in experimental mode (daemon.json "experimental" / --experimental), as
/// on Docker: the layers the build adds become one over the base image's, with deletions of the base's files and
/// directories kept; the docker CLI sees the mode through /_ping's Docker-Experimental header and /info.</summary>
public sealed class BuildSquashTests
{
    [Fact]
    public async Task Build_Squash_OneLayerOverTheBase_DeletionsAndReplacedDirectoriesKept()
    {
        var daemon = new DaemonFixture { ExtraDaemonArgs = "--experimental" };
        var context = Path.Combine(daemon.Root, "squash-context");
        try
        {
            await daemon.InitializeAsync();
            Assert.Equal("true\n", (await daemon.DockerAsync("info", "-f", "{{.ExperimentalBuild}}")).Stdout);

            // A base with a directory of its own, so the squashed layer must hide the base's content (an opaque
            // directory) and a base file (a whiteout); /made is created and deleted within the squashed steps.
            Directory.CreateDirectory(context);
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN mkdir /data && echo a > /data/a && echo b > /data/b\n");
            Assert.Equal(0, (await BuildAsync(daemon, "build", "-q", "-t", "squash-base", context)).ExitCode);
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
                FROM squash-base
                RUN echo one > /one && mkdir /made && echo gone > /made/gone
                RUN rm /bin/ls && rm -rf /data /made && mkdir /data && echo c > /data/c
                RUN echo three > /three
                """);
            var plain = await BuildAsync(daemon, "build", "-t", "squash-plain", context);
            Assert.True(plain.ExitCode == 0, plain.ToString());
            var squashed = await BuildAsync(daemon, "build", "--squash", "-t", "squash-done", context);
            Assert.True(squashed.ExitCode == 0, squashed.ToString());

            var baseLayers = int.Parse((await daemon.DockerAsync("image", "inspect", "-f", "{{len .RootFS.Layers}}", "squash-base")).Stdout.Trim());
            Assert.Equal($"{baseLayers + 3}\n", (await daemon.DockerAsync("image", "inspect", "-f", "{{len .RootFS.Layers}}", "squash-plain")).Stdout);
            Assert.Equal($"{baseLayers + 1}\n", (await daemon.DockerAsync("image", "inspect", "-f", "{{len .RootFS.Layers}}", "squash-done")).Stdout);

            const string probe = "cat /one /three; ls /data; test -e /made && echo made-present; test -e /bin/ls && echo ls-present || echo ls-gone";
            var expected = "one\nthree\nc\nls-gone\n";
            var fromPlain = await daemon.DockerAsync("run", "--rm", "squash-plain", "sh", "-c", probe);
            Assert.Equal(expected, fromPlain.Stdout);
            var fromSquashed = await daemon.DockerAsync("run", "--rm", "squash-done", "sh", "-c", probe);
            Assert.True(fromSquashed.ExitCode == 0, fromSquashed.ToString());
            Assert.Equal(expected, fromSquashed.Stdout);

            // Docker's history: the built steps stay, as empty layers, and one entry says what was merged.
            var baseId = (await daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", "squash-base")).Stdout.Trim();
            var history = await daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", "squash-done");
            Assert.Contains("|merge sha256:", history.Stdout, StringComparison.Ordinal);
            Assert.Contains($" to {baseId}\n", history.Stdout, StringComparison.Ordinal);
            Assert.Contains("echo three > /three|", history.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task Build_SquashWithoutExperimentalMode_AndAnUnknownPlatform_AreRefusedBeforeAnythingRuns()
    {
        var daemon = new DaemonFixture();
        try
        {
            await daemon.StartDaemonAsync();
            Assert.Equal("false\n", (await daemon.DockerAsync("info", "-f", "{{.ExperimentalBuild}}")).Stdout);
            using var client = daemon.CreateHttpClient();
            var tar = new byte[1024]; // an empty archive: refused before it is read

            using var squash = await client.PostAsync("build?squash=1", new ByteArrayContent(tar));
            Assert.Equal(HttpStatusCode.BadRequest, squash.StatusCode);
            Assert.Equal("squash is only supported with experimental mode", await MessageOf(squash));

            using var platform = await client.PostAsync("build?platform=foobar", new ByteArrayContent(tar));
            Assert.Equal(HttpStatusCode.BadRequest, platform.StatusCode);
            Assert.Equal("\"foobar\": unknown operating system or architecture: invalid argument", await MessageOf(platform));
            // As dockerd: an error has a length, not chunks; docker-py reads a chunked answer to build as its stream.
            Assert.NotEqual(true, platform.Headers.TransferEncodingChunked);
            Assert.NotNull(platform.Content.Headers.ContentLength);

            using var pull = await client.PostAsync("images/create?fromImage=127.0.0.1:1/x&tag=latest&platform=foobar", null);
            Assert.Equal(HttpStatusCode.BadRequest, pull.StatusCode);
            Assert.Equal("\"foobar\": unknown operating system or architecture: invalid argument", await MessageOf(pull));
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    private static async Task<string?> MessageOf(HttpResponseMessage response)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("message").GetString();
    }

    private static Task<CommandResult> BuildAsync(DaemonFixture daemon, params string[] args)
    {
        var env = new Dictionary<string, string>(daemon.Env) { ["DOCKER_BUILDKIT"] = "0" };
        return CommandRunner.RunAsync(TestBinaries.Docker, args, env, timeout: TimeSpan.FromSeconds(120));
    }
}
