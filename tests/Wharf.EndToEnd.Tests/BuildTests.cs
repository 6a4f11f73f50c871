namespace Wharf.EndToEnd.Tests;

/// <summary>docker build with the legacy builder (DOCKER_BUILDKIT=0) against wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Build_MultiStageWithRunCopyAndCache_ProducesRunnableImage()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var context = Path.Combine(daemon.Root, "build-" + suffix);
        var tag = "built-" + suffix;
        var iid = Path.Combine(context, "..", "iid-" + suffix);
        Directory.CreateDirectory(Path.Combine(context, "sub"));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context, "hello.txt"), "hello from context\n");
            await File.WriteAllTextAsync(Path.Combine(context, "sub", "inner.txt"), "inner\n");
            await File.WriteAllTextAsync(Path.Combine(context, "ignored.log"), "must not be copied\n");
            await File.WriteAllTextAsync(Path.Combine(context, ".dockerignore"), "*.log\n");
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
                ARG BASE=busybox
                FROM ${BASE} AS first
                ARG GREETING=hi
                RUN echo "$GREETING from first" > /first.txt
                FROM $BASE
                ENV APP_HOME=/app \
                    MODE=test
                WORKDIR $APP_HOME
                COPY hello.txt .
                COPY sub/ ./sub/
                COPY --from=first /first.txt /copied.txt
                RUN echo built > built.txt && ls /app > /listing
                LABEL org.example.stage=final
                CMD ["sh", "-c", "cat /app/hello.txt /copied.txt /app/built.txt /app/sub/inner.txt; echo $MODE"]
                """);

            var first = await BuildAsync("build", "-t", tag, "-t", tag + ":v2", "--build-arg", "GREETING=hey", "--iidfile", iid, context);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Step 1/", first.Stdout);
            Assert.Contains(" ---> Running in ", first.Stdout);
            Assert.Contains("Successfully built ", first.Stdout);
            Assert.Contains($"Successfully tagged {tag}:latest", first.Stdout);
            Assert.Contains($"Successfully tagged {tag}:v2", first.Stdout);
            var id = (await File.ReadAllTextAsync(iid)).Trim();
            Assert.StartsWith("sha256:", id);

            var run = await daemon.DockerAsync("run", "--rm", tag);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("hello from context\nhey from first\nbuilt\ninner\ntest\n", run.Stdout);
            var listing = await daemon.DockerAsync("run", "--rm", tag, "cat", "/listing");
            Assert.DoesNotContain("ignored.log", listing.Stdout);
            var label = await daemon.DockerAsync("image", "inspect", "-f", "{{index .Config.Labels \"org.example.stage\"}} {{.Config.WorkingDir}}", tag);
            Assert.Equal("final /app\n", label.Stdout);

            var second = await BuildAsync("build", "-t", tag, "--build-arg", "GREETING=hey", context);
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains(" ---> Using cache", second.Stdout);
            Assert.DoesNotContain("Running in", second.Stdout);
            Assert.Contains("Successfully built " + id[7..19], second.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", tag, tag + ":v2");
            Directory.Delete(context, recursive: true);
            File.Delete(iid);
        }
    }

    [Fact]
    public async Task Build_FailingRun_StopsWithExitCodeAndLeavesNoContainer()
    {
        var context = Path.Combine(daemon.Root, "build-fail-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(context);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN echo failing-output && exit 3\nRUN echo never\n");
            var before = (await daemon.DockerAsync("ps", "-aq")).Stdout;

            var result = await BuildAsync("build", "--no-cache", context);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("failing-output", result.Stdout);
            Assert.Contains("returned a non-zero code: 3", result.Stderr);
            Assert.DoesNotContain("never", result.Stdout.Replace("RUN echo never", "", StringComparison.Ordinal));
            Assert.Equal(before, (await daemon.DockerAsync("ps", "-aq")).Stdout);

            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox\nBOGUS thing\n");
            var parse = await BuildAsync("build", context);
            Assert.NotEqual(0, parse.ExitCode);
            Assert.Contains("unknown instruction: BOGUS", parse.Stderr);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private Task<CommandResult> BuildAsync(params string[] args)
    {
        var env = new Dictionary<string, string>(daemon.Env) { ["DOCKER_BUILDKIT"] = "0" };
        return CommandRunner.RunAsync(TestBinaries.Docker, args, env, timeout: TimeSpan.FromSeconds(120));
    }
}
