using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>docker build (legacy builder) instruction by instruction: what lands in the image config, COPY ownership
/// by names from the image's own /etc/passwd and /etc/group, ADD of a tar and of an http URL, heredocs, the escape
/// directive, ${VAR:-d}/${VAR:+x}, ONBUILD triggers, --target, live RUN output, intermediate images and the cache
/// across a daemon restart.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildInstructionTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Build_EveryInstruction_LandsInConfigAndFilesystem()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var parent = "instr-" + suffix;
        var child = "instr-child-" + suffix;
        var context = Path.Combine(daemon.Root, "instr-" + suffix);
        Directory.CreateDirectory(context);
        using var http = new HttpListener();
        var port = LoopbackPorts.FreeTcp();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var serving = ServeAsync(http, "remote content\n");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context, "f.txt"), "owned\n");
            File.SetUnixFileMode(Path.Combine(context, "f.txt"), (UnixFileMode)0x1A4);
            await File.WriteAllTextAsync(Path.Combine(context, "trig.txt"), "trigger-content\n");
            await using (var tar = new TarWriter(File.Create(Path.Combine(context, "layer.tar")), TarEntryFormat.Pax))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "inner/") { Mode = (UnixFileMode)0x1ED });
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "inner/file.txt") { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream("from-tar\n"u8.ToArray()) });
            }
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $$"""
                # escape=`
                ARG BASE=busybox
                FROM ${BASE}
                ARG EMPTY=
                ARG SET=yes
                ENV DEF=${EMPTY:-fallback} ALT=${SET:+alt} NOALT=${EMPTY:+never}
                RUN echo "app:x:1234:2345::/home/app:/bin/sh" >> /etc/passwd && echo "prim:x:2345:" >> /etc/group && echo "extra:x:3456:" >> /etc/group
                COPY --chown=app:extra f.txt /owned/f.txt
                COPY --chown=app --chmod=741 f.txt /owned/g.txt
                ADD layer.tar /unpacked/
                ADD http://127.0.0.1:{{port}}/remote.txt /remote/
                RUN <<EOF
                echo heredoc-one > /heredoc.txt
                echo heredoc-two >> /heredoc.txt
                EOF
                RUN echo one `
                    two > /escaped.txt
                SHELL ["/bin/sh", "-ec"]
                USER 1234
                WORKDIR /owned
                VOLUME ["/data"]
                EXPOSE 8080/tcp 53/udp
                STOPSIGNAL SIGUSR1
                HEALTHCHECK --interval=5s --retries=4 CMD ["true"]
                ONBUILD COPY trig.txt /triggered.txt
                ONBUILD RUN cat /triggered.txt
                """);

            var build = await BuildAsync("build", "-t", parent, context);
            Assert.True(build.ExitCode == 0, build + daemon.DaemonLog());

            Assert.Equal("[\"CMD\",\"true\"] 5s 4|SIGUSR1|[\"/bin/sh\",\"-ec\"]|1234|/owned|{\"/data\":{}}|{\"53/udp\":{},\"8080/tcp\":{}}|[\"COPY trig.txt /triggered.txt\",\"RUN cat /triggered.txt\"]\n",
                (await daemon.DockerAsync("image", "inspect", "-f",
                    "{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}}|{{.Config.StopSignal}}|{{json .Config.Shell}}|{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.Volumes}}|{{json .Config.ExposedPorts}}|{{json .Config.OnBuild}}", parent)).Stdout);
            var env = (await daemon.DockerAsync("image", "inspect", "-f", "{{json .Config.Env}}", parent)).Stdout;
            Assert.Contains("\"DEF=fallback\"", env);
            Assert.Contains("\"ALT=alt\"", env);
            Assert.Contains("\"NOALT=\"", env);

            var files = await daemon.DockerAsync("run", "--rm", "--user", "0", parent, "sh", "-c",
                "stat -c '%u:%g %a' /owned/f.txt /owned/g.txt; cat /unpacked/inner/file.txt /remote/remote.txt /heredoc.txt /escaped.txt");
            Assert.True(files.ExitCode == 0, files.ToString());
            Assert.Equal("1234:3456 644\n1234:2345 741\nfrom-tar\nremote content\nheredoc-one\nheredoc-two\none two\n", files.Stdout);

            // ONBUILD: the triggers run in the child build right after FROM, and are not inherited further.
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {parent}\nRUN echo child-step\n");
            var childBuild = await BuildAsync("build", "-t", child, context);
            Assert.True(childBuild.ExitCode == 0, childBuild.ToString());
            Assert.Contains("# Executing 2 build triggers", childBuild.Stdout);
            Assert.Contains("trigger-content", childBuild.Stdout);
            Assert.Contains("child-step", childBuild.Stdout);
            Assert.Equal("null\n", (await daemon.DockerAsync("image", "inspect", "-f", "{{json .Config.OnBuild}}", child)).Stdout);
            Assert.Equal("trigger-content\n", (await daemon.DockerAsync("run", "--rm", child, "cat", "/triggered.txt")).Stdout);

            // A context symlink to the host's / must not let COPY read the daemon host's files.
            File.CreateSymbolicLink(Path.Combine(context, "hostroot"), "/");
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox\nCOPY hostroot/etc/hostname /stolen\n");
            var escape = await BuildAsync("build", context);
            Assert.NotEqual(0, escape.ExitCode);
            Assert.Contains("forbidden path outside the build context", escape.Stderr);
        }
        finally
        {
            // Close, not Stop: Stop followed by the using's Dispose unregisters twice, and the second time the
            // managed HttpListener rebinds the port ("Address already in use" if another test took it).
            http.Close();
            await serving;
            await daemon.DockerAsync("rmi", "-f", child, parent);
            Directory.Delete(context, recursive: true);
        }
    }

    [Fact]
    public async Task Build_TargetLiveOutputIntermediatesAndCacheAcrossRestart_AsDockerLegacyBuilder()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tag = "target-" + suffix;
        var context = Path.Combine(daemon.Root, "target-" + suffix);
        Directory.CreateDirectory(context);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
                FROM busybox AS first
                RUN echo first-line-{suffix} && sleep 3 && echo second-line
                LABEL stage=first
                FROM first AS second
                RUN echo later-stage-ran && exit 9
                """);

            // The first line arrives while the step still sleeps: output is streamed, not sent at the end.
            var (exitCode, output, gap) = await BuildStreamingAsync(["build", "--target", "first", "-t", tag, context], "first-line-" + suffix, "second-line");
            Assert.True(exitCode == 0, output);
            Assert.True(gap >= TimeSpan.FromSeconds(2), $"RUN output arrived in one piece ({gap}):\n{output}");
            Assert.DoesNotContain("later-stage-ran", output);
            Assert.DoesNotContain("RUN echo later-stage-ran", output);

            // Each step's image is kept as the next one's parent; only images -a shows them.
            var parentId = (await daemon.DockerAsync("image", "inspect", "-f", "{{.Parent}}", tag)).Stdout.Trim();
            Assert.StartsWith("sha256:", parentId);
            Assert.Contains(parentId, (await daemon.DockerAsync("images", "-a", "-q", "--no-trunc")).Stdout);
            Assert.DoesNotContain(parentId, (await daemon.DockerAsync("images", "-q", "--no-trunc")).Stdout);
            Assert.DoesNotContain(parentId, (await daemon.DockerAsync("images", "-q", "--no-trunc", "--filter", "dangling=true")).Stdout);
            Assert.DoesNotContain(parentId, (await daemon.DockerAsync("image", "prune", "-f")).Stdout);

            // The cache is on disk: a restarted daemon rebuilds from it without running anything.
            await daemon.StopDaemonAsync();
            await daemon.StartDaemonAsync();
            var cached = await BuildAsync("build", "--target", "first", "-t", tag, context);
            Assert.True(cached.ExitCode == 0, cached.ToString());
            Assert.Contains(" ---> Using cache", cached.Stdout);
            Assert.DoesNotContain("Running in", cached.Stdout);
            var id = (await daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", tag)).Stdout.Trim();
            Assert.Contains("Successfully built " + id[7..19], cached.Stdout);
            var quiet = await BuildAsync("build", "-q", "--target", "first", "-t", tag, context);
            Assert.Equal(id + "\n", quiet.Stdout);

            // rmi takes the untagged parents with it, as Docker does.
            var rmi = await daemon.DockerAsync("rmi", tag);
            Assert.True(rmi.ExitCode == 0, rmi.ToString());
            Assert.Contains("Deleted: " + parentId, rmi.Stdout);
            Assert.NotEqual(0, (await daemon.DockerAsync("image", "inspect", parentId)).ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", tag);
            Directory.Delete(context, recursive: true);
        }
    }

    private Task<CommandResult> BuildAsync(params string[] args)
    {
        var env = new Dictionary<string, string>(daemon.Env) { ["DOCKER_BUILDKIT"] = "0" };
        return CommandRunner.RunAsync(TestBinaries.Docker, args, env, timeout: TimeSpan.FromSeconds(120));
    }

    /// <summary>Runs a build and measures the time between two output markers as the CLI prints them.</summary>
    private async Task<(int ExitCode, string Output, TimeSpan Gap)> BuildStreamingAsync(string[] args, string firstMarker, string secondMarker)
    {
        var psi = new ProcessStartInfo(TestBinaries.Docker) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in daemon.Env) psi.Environment[k] = v;
        psi.Environment["DOCKER_BUILDKIT"] = "0";
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null, second = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            output.AppendLine(line);
            if (first is null && line.Contains(firstMarker, StringComparison.Ordinal) && !line.Contains("RUN", StringComparison.Ordinal)) first = clock.Elapsed;
            if (second is null && line.StartsWith(secondMarker, StringComparison.Ordinal)) second = clock.Elapsed;
        }
        await process.WaitForExitAsync(cts.Token);
        output.Append(await stderr);
        return (process.ExitCode, output.ToString(), (second ?? TimeSpan.Zero) - (first ?? TimeSpan.Zero));
    }

    private static async Task ServeAsync(HttpListener http, string body)
    {
        try
        {
            while (http.IsListening)
            {
                var request = await http.GetContextAsync();
                var bytes = Encoding.UTF8.GetBytes(body);
                request.Response.StatusCode = request.Request.Url?.AbsolutePath == "/remote.txt" ? 200 : 404;
                request.Response.ContentLength64 = bytes.Length;
                await request.Response.OutputStream.WriteAsync(bytes);
                request.Response.Close();
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }
}
