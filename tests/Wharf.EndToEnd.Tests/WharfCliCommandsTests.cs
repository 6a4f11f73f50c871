namespace Wharf.EndToEnd.Tests;

/// <summary>The wharf CLI's newer commands against a real daemon: build (directory and stdin), the management
/// spellings, system prune limited by a label, and help that names the spelling typed.</summary>
[Collection(DaemonCollection.Name)]
public sealed class WharfCliCommandsTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Build_DirectoryWithTagsArgsAndIidfile_ImageRuns()
    {
        var tag = "wharf-cli-build-" + Guid.NewGuid().ToString("N")[..8];
        var dir = Directory.CreateTempSubdirectory("wharf-cli-build-");
        var iid = Path.Combine(dir.FullName, "..", dir.Name + ".iid");
        var quietId = "";
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Dockerfile"), "FROM busybox\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo \"$GREETING\" >> /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n");
            File.WriteAllText(Path.Combine(dir.FullName, "hello.txt"), "from the context\n");

            var build = await daemon.WharfAsync("build", "-t", tag, "-t", tag + ":two", "--build-arg", "GREETING=from an arg", "--iidfile", iid, dir.FullName);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("Successfully tagged " + tag + ":latest", build.Stdout);
            Assert.StartsWith("sha256:", File.ReadAllText(iid));

            var run = await daemon.WharfAsync("run", "--rm", tag + ":two");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("from the context\nfrom an arg\n", run.Stdout);

            var quiet = await daemon.WharfAsync("build", "-q", dir.FullName);
            Assert.True(quiet.ExitCode == 0, quiet.ToString());
            quietId = quiet.Stdout.Trim();
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", quiet.Stdout);
            Assert.Equal(0, (await daemon.WharfAsync("image", "inspect", quiet.Stdout.Trim())).ExitCode);
        }
        finally
        {
            await daemon.WharfAsync("rmi", "-f", tag, tag + ":two");
            if (quietId.Length > 0)
            {
                await daemon.WharfAsync("rmi", "-f", quietId);
            }

            File.Delete(iid);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Build_FailingStep_ExitsWithTheStepsCode()
    {
        var dir = Directory.CreateTempSubdirectory("wharf-cli-build-fail-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Dockerfile"), "FROM busybox\nRUN exit 3\n");

            var build = await daemon.WharfAsync("build", dir.FullName);

            Assert.Equal(3, build.ExitCode);
            Assert.Contains("returned a non-zero code: 3", build.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ManagementSpellings_ReachTheSameCommands()
    {
        var ls = await daemon.WharfAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}");
        var list = await daemon.WharfAsync("image", "list", "--format", "{{.Repository}}:{{.Tag}}");
        var info = await daemon.WharfAsync("system", "info", "--format", "{{.OSType}}");
        var containers = await daemon.WharfAsync("container", "ls", "-a", "-q");
        var inspect = await daemon.WharfAsync("image", "inspect", "--format", "{{.Os}}", "busybox");

        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("busybox:latest", ls.Stdout);
        Assert.Equal(ls.Stdout, list.Stdout);
        Assert.Equal("linux\n", info.Stdout);
        Assert.Equal(0, containers.ExitCode);
        Assert.Equal("linux\n", inspect.Stdout);
    }

    [Fact]
    public async Task SystemPrune_LabelFilter_RemovesOnlyThatLabelsStoppedContainers()
    {
        var label = "wharf-cli-prune=" + Guid.NewGuid().ToString("N")[..8];
        var keep = await daemon.WharfAsync("create", "busybox", "true");
        var gone = await daemon.WharfAsync("create", "--label", label, "busybox", "true");
        try
        {
            Assert.True(gone.ExitCode == 0, gone.ToString());
            var prune = await daemon.WharfAsync("system", "prune", "-f", "--filter", "label=" + label);

            Assert.True(prune.ExitCode == 0, prune.ToString());
            Assert.Contains("Deleted Containers:\n" + gone.Stdout.Trim(), prune.Stdout);
            Assert.Contains("Total reclaimed space:", prune.Stdout);
            Assert.Equal(0, (await daemon.WharfAsync("inspect", "--format", "{{.Id}}", keep.Stdout.Trim())).ExitCode);
            Assert.NotEqual(0, (await daemon.WharfAsync("inspect", "--type", "container", gone.Stdout.Trim())).ExitCode);
        }
        finally
        {
            await daemon.WharfAsync("rm", "-f", keep.Stdout.Trim(), gone.Stdout.Trim());
        }
    }

    [Fact]
    public async Task Help_AliasAndMissingImage_AreActionable()
    {
        var help = await daemon.WharfAsync("container", "list", "--help");
        var missing = await daemon.WharfAsync("run", "--rm", "--pull", "never", "wharf-no-such-image:1");

        Assert.StartsWith("Usage:  wharf container list [OPTIONS]", help.Stdout);
        Assert.Contains("wharf container ls, wharf container list, wharf container ps, wharf ps", help.Stdout);
        Assert.Equal(125, missing.ExitCode);
        Assert.Contains("pull it with 'wharf pull wharf-no-such-image:1'", missing.Stderr);
    }
}
