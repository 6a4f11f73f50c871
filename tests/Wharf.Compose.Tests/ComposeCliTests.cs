using Wharf.Compose.Cli;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Tests;

public sealed class ComposeCliTests
{
    private static (ComposeCli Cli, FakeComposeEngine Engine, StringWriter Out) Create(TempProject dir)
    {
        var engine = new FakeComposeEngine();
        var output = new StringWriter();
        var cli = new ComposeCli(new ComposeConsole { Out = output, Err = TextWriter.Null, CurrentDirectory = dir.Dir, Environment = _ => null }, () => engine);
        return (cli, engine, output);
    }

    [Fact]
    public async Task Run_Rm_MakesOneOffContainerAndLeavesServiceContainersAlone()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    command: [\"sleep\", \"100\"]\n");
        var (cli, engine, _) = Create(dir);
        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));
        engine.Calls.Clear();

        Assert.Equal(0, await cli.RunAsync(["run", "--rm", "a", "echo", "hi"], CancellationToken.None));

        var created = Assert.Single(engine.Calls, c => c.StartsWith("create ", StringComparison.Ordinal));
        Assert.StartsWith("create demo-a-run-", created, StringComparison.Ordinal);
        Assert.Contains(engine.Calls, c => c.StartsWith("rm demo-a-run-", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.Calls, c => c.Contains("demo-a-1", StringComparison.Ordinal));
        Assert.Equal(["demo-a-1"], engine.Containers.Values.Select(c => c.Name));
    }

    [Fact]
    public async Task Run_OneOffContainer_IsLabelledOneOffWithTheGivenCommand()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");
        var (cli, engine, _) = Create(dir);

        Assert.Equal(0, await cli.RunAsync(["run", "-d", "a", "sleep", "5"], CancellationToken.None));

        var (_, request, _) = Assert.Single(engine.Containers.Values);
        Assert.Equal("True", request.Labels![ComposeLabels.OneOff]);
        Assert.Equal(["sleep", "5"], request.Cmd);
    }

    [Fact]
    public async Task Up_Help_PrintsUsageAndCreatesNothing()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");
        var (cli, engine, output) = Create(dir);

        Assert.Equal(0, await cli.RunAsync(["up", "--help"], CancellationToken.None));

        Assert.Contains("docker compose up", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Logs_Prefix_NamesEachContainer()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n  bb:\n    image: busybox\n");
        var (cli, _, output) = Create(dir);
        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));

        Assert.Equal(0, await cli.RunAsync(["logs"], CancellationToken.None));

        Assert.Contains("demo-a-1   | hello from demo-a-1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("demo-bb-1  | hello from demo-bb-1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopStart_Services_ChangeContainerStates()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    depends_on: [a]\n");
        var (cli, engine, _) = Create(dir);
        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));
        engine.Calls.Clear();

        Assert.Equal(0, await cli.RunAsync(["stop"], CancellationToken.None));
        Assert.Equal(["stop demo-b-1", "stop demo-a-1"], engine.Calls);
        engine.Calls.Clear();
        Assert.Equal(0, await cli.RunAsync(["start", "a"], CancellationToken.None));
        Assert.Equal(["start demo-a-1"], engine.Calls);
    }

    [Fact]
    public async Task Config_Hash_PrintsTheHashUpPutsOnContainers()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  b:\n    image: busybox\n  a:\n    image: busybox\n    command: [\"sleep\", \"1\"]\n");
        var (cli, engine, output) = Create(dir);
        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));

        Assert.Equal(0, await cli.RunAsync(["config", "--hash", "*"], CancellationToken.None));

        var labels = engine.Containers.Values.OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Request.Labels![ComposeLabels.Service] + " " + c.Request.Labels[ComposeLabels.ConfigHash] + "\n");
        Assert.Equal(string.Concat(labels), output.ToString());
    }

    [Fact]
    public async Task Config_UnsetVariable_WarnsOnStderrLikeCompose()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox:${TAG}\n");
        var err = new StringWriter();
        var cli = new ComposeCli(new ComposeConsole { Out = new StringWriter(), Err = err, CurrentDirectory = dir.Dir, Environment = _ => null }, () => new FakeComposeEngine());

        Assert.Equal(0, await cli.RunAsync(["config", "-q"], CancellationToken.None));

        Assert.Equal("WARN[0000] The \"TAG\" variable is not set. Defaulting to a blank string.\n", err.ToString().Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_IgnoreOrphans_NeitherWarnsNorRemoves()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n");
        var engine = new FakeComposeEngine();
        var err = new StringWriter();
        var env = new Dictionary<string, string> { ["COMPOSE_IGNORE_ORPHANS"] = "true" };
        var cli = new ComposeCli(new ComposeConsole { Out = new StringWriter(), Err = err, CurrentDirectory = dir.Dir, Environment = env.GetValueOrDefault }, () => engine);
        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");

        Assert.Equal(0, await cli.RunAsync(["up", "-d"], CancellationToken.None));

        Assert.DoesNotContain("orphan", err.ToString(), StringComparison.Ordinal);
        Assert.Contains(engine.Containers.Values, c => c.Name == "demo-b-1");
    }
}
