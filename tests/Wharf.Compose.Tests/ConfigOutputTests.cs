using Wharf.Compose.Cli;
using Wharf.Compose.Loading;
using Wharf.Compose.Output;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Tests;

public sealed class ConfigOutputTests
{
    [Fact]
    public void ToYaml_NormalisedModel_ReadsBackToTheSameTree()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", """
            services:
              web:
                image: busybox
                command: ["echo", "yes", "a: b", "#x"]
                environment: { N: "1", T: "true", E: "" }
                ports: ["8080:80"]
            """);
        var project = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null });

        var yaml = NodeWriter.ToYaml(ConfigModel.Build(project));
        var reread = (MapNode)YamlReader.Read(yaml, "out.yaml");

        Assert.Equal(NodeWriter.ToJson(ConfigModel.Build(project)), NodeWriter.ToJson(reread));
        Assert.Contains("name: demo", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_JsonFormat_PrintsProject()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n");
        var output = new StringWriter();
        var cli = new ComposeCli(new ComposeConsole { Out = output, Err = TextWriter.Null, CurrentDirectory = dir.Dir, Environment = _ => null }, () => new FakeComposeEngine());

        var code = await cli.RunAsync(["config", "--format", "json"], CancellationToken.None);

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal("busybox", json.RootElement.GetProperty("services").GetProperty("a").GetProperty("image").GetString());
    }

    [Fact]
    public async Task Cli_BadFile_ExitsOneWithLocation()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    bogus: 1\n");
        var error = new StringWriter();
        var engine = new FakeComposeEngine();
        var cli = new ComposeCli(new ComposeConsole { Out = TextWriter.Null, Err = error, CurrentDirectory = dir.Dir, Environment = _ => null }, () => engine);

        var code = await cli.RunAsync(["up", "-d"], CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("compose.yaml:4: services.a.bogus", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Cli_UpPsDown_WorkOnTheProject()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n");
        var output = new StringWriter();
        var engine = new FakeComposeEngine();
        var cli = new ComposeCli(new ComposeConsole { Out = output, Err = TextWriter.Null, CurrentDirectory = dir.Dir, Environment = _ => null }, () => engine);

        Assert.Equal(0, await cli.RunAsync(["-p", "x", "up", "-d"], CancellationToken.None));
        Assert.Equal(0, await cli.RunAsync(["-p", "x", "ps"], CancellationToken.None));
        Assert.Contains("x-a-1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("x-b-1", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await cli.RunAsync(["-p", "x", "down"], CancellationToken.None));
        Assert.Empty(engine.Containers);
    }
}
